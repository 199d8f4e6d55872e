import NIOCore
import NIOPosix

/// The loopback UDP socket a benchmark's consumers send to: a large receive buffer and batched
/// reads, so the sink keeps up with hundreds of consumers.
enum SinkSocket {
    static func bind(
        group: any EventLoopGroup, handler: @escaping @Sendable () -> any ChannelHandler
    ) async throws -> any Channel {
        try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_rcvbuf), value: 16 << 20)
            .channelOption(.datagramVectorReadMessageCount, value: 64)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 64 * 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}
