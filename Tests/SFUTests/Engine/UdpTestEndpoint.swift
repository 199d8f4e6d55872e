import NIOCore
import NIOPosix
@testable import SFU

/// A UDP socket on loopback standing in for a remote RTP endpoint in engine tests: what it
/// receives is kept in its ``inbox`` until a test takes it.
final class UdpTestEndpoint: Sendable {
    let channel: any Channel
    let inbox = PacketInbox()
    let address: SocketAddress

    init(group: any EventLoopGroup) async throws {
        let inbox = inbox
        channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(inbox: inbox))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        address = channel.localAddress!
    }

    var port: Int { address.port! }

    func send(_ buffer: ByteBuffer, to destination: SocketAddress) async throws {
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: buffer)).get()
    }

    /// Datagrams received until `predicate` has accepted `count` of them or `timeout` passed;
    /// rejected datagrams stay in the inbox.
    func receive(
        count: Int, timeout: Duration = .seconds(5), where predicate: (ByteBuffer) -> Bool = { _ in true }
    ) async -> [ByteBuffer] {
        await inbox.receive(count: count, timeout: timeout, where: predicate)
    }

    func close() async {
        try? await channel.close().get()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let inbox: PacketInbox

        init(inbox: PacketInbox) {
            self.inbox = inbox
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            inbox.append(unwrapInboundIn(data).data)
        }
    }
}
