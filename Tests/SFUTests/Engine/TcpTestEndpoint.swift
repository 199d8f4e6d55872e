import NIOCore
import NIOPosix
@testable import SFU

/// An ICE-TCP client on loopback (RFC 6544 active side): packets are RFC 4571 framed on the
/// connection, and what arrives is unframed into its ``inbox``.
final class TcpTestEndpoint: Sendable {
    let channel: any Channel
    let inbox = PacketInbox()

    init(group: any EventLoopGroup, connectingTo destination: SocketAddress) async throws {
        let inbox = inbox
        channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Deframer(inbox: inbox))
                }
            }
            .connect(to: destination).get()
    }

    func send(_ packet: ByteBuffer) async throws {
        try await channel.writeAndFlush(try Rfc4571Framer.framed(packet)).get()
    }

    func close() async {
        try? await channel.close().get()
    }

    private final class Deframer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let inbox: PacketInbox
        /// What arrived and is not yet a whole packet.
        private var received = ByteBuffer()

        init(inbox: PacketInbox) {
            self.inbox = inbox
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var read = unwrapInboundIn(data)
            received.writeBuffer(&read)
            while let packet = Rfc4571Framer.takePacket(from: &received) { inbox.append(packet) }
            received.discardReadBytes()
        }
    }
}
