import NIOCore
import STUN

/// Cuts a TURN TLS byte stream into STUN messages and ChannelData frames (RFC 8656 §12.5).
struct TurnFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try StreamFraming.readFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }
}

/// One client connection over TLS (plain TCP is served by ``StreamLoopConnection``s); its
/// allocation ends when the connection does.
final class TurnStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let context: NIOLoopBound<TurnLoopContext>
    private var tuple: FiveTuple?

    init(context: NIOLoopBound<TurnLoopContext>) {
        self.context = context
    }

    func channelActive(context channelContext: ChannelHandlerContext) {
        let channel = channelContext.channel
        if let client = channel.remoteAddress, let server = channel.localAddress {
            let tuple = FiveTuple(client: client, server: server, transport: .tls)
            self.tuple = tuple
            context.value.streamConnectionOpened(channel, tuple: tuple)
        }
        channelContext.fireChannelActive()
    }

    func channelInactive(context channelContext: ChannelHandlerContext) {
        if let tuple { context.value.streamConnectionClosed(tuple) }
        channelContext.fireChannelInactive()
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        guard let tuple else { return }
        context.value.handleClientPacket(unwrapInboundIn(data), from: tuple)
    }

    func channelReadComplete(context channelContext: ChannelHandlerContext) {
        context.value.flushWrittenChannels()
    }

    func errorCaught(context channelContext: ChannelHandlerContext, error: any Error) {
        // Framing errors and TLS failures cannot be recovered from on a stream: drop the client.
        channelContext.close(promise: nil)
    }
}
