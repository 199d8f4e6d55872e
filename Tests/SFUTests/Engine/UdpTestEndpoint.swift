import NIOCore
import NIOPosix
@testable import SFU

/// A UDP socket on loopback standing in for a remote RTP endpoint in engine tests: what it
/// receives is kept in order and can be awaited.
final class UdpTestEndpoint: Sendable {
    let channel: any Channel
    let received: AsyncStream<ByteBuffer>
    let address: SocketAddress

    init(group: any EventLoopGroup) async throws {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        received = stream
        channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation: continuation))
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
    /// rejected datagrams are skipped.
    func receive(
        count: Int, timeout: Duration = .seconds(5), where predicate: @escaping @Sendable (ByteBuffer) -> Bool = { _ in true }
    ) async -> [ByteBuffer] {
        let stream = received
        return await withTaskGroup(of: [ByteBuffer]?.self) { group in
            group.addTask {
                var collected: [ByteBuffer] = []
                for await datagram in stream where predicate(datagram) {
                    collected.append(datagram)
                    if collected.count == count { break }
                }
                return collected
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if let first { return first }
            return await group.next().flatMap { $0 } ?? []
        }
    }

    func close() async {
        try? await channel.close().get()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let continuation: AsyncStream<ByteBuffer>.Continuation

        init(continuation: AsyncStream<ByteBuffer>.Continuation) {
            self.continuation = continuation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            continuation.yield(unwrapInboundIn(data).data)
        }
    }
}
