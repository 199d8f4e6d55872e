import NIOCore

/// The UDP listener of one event loop: every datagram from a client goes to that loop's core.
final class TurnDatagramListenerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let context: NIOLoopBound<TurnLoopContext>
    private var localAddress: SocketAddress?

    init(context: NIOLoopBound<TurnLoopContext>) {
        self.context = context
    }

    func channelActive(context channelContext: ChannelHandlerContext) {
        localAddress = channelContext.channel.localAddress
        if let localAddress {
            context.value.datagramListeners[localAddress] = channelContext.channel
        }
        channelContext.fireChannelActive()
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        guard let localAddress else { return }
        let envelope = unwrapInboundIn(data)
        let tuple = FiveTuple(client: envelope.remoteAddress, server: localAddress, transport: .udp)
        context.value.handleClientPacket(envelope.data, from: tuple)
    }

    func channelReadComplete(context channelContext: ChannelHandlerContext) {
        context.value.flushWrittenChannels()
    }

    func errorCaught(context channelContext: ChannelHandlerContext, error: any Error) {
        // ICMP port-unreachable from a departed client arrives as an error; keep listening.
    }
}
