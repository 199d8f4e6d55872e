import NIOCore

/// Receives what peers send to one relay socket and hands it to the loop's core.
final class TurnRelayHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let relay: RelayID
    private let context: NIOLoopBound<TurnLoopContext>

    init(relay: RelayID, context: NIOLoopBound<TurnLoopContext>) {
        self.relay = relay
        self.context = context
    }

    func channelRead(context channelContext: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        context.value.handlePeerPacket(envelope.data, from: envelope.remoteAddress, relay: relay)
    }

    func channelReadComplete(context channelContext: ChannelHandlerContext) {
        context.value.flushWrittenChannels()
    }

    func errorCaught(context channelContext: ChannelHandlerContext, error: any Error) {
        // ICMP errors (port unreachable from a peer) surface here; the socket stays usable.
    }
}
