import NIOCore
import NIOPosix
import Synchronization

/// A UDP socket that counts the RTP packets it receives (RTCP reports are not counted): the
/// consumers' endpoint in the benchmark.
final class PacketSink: Sendable {
    let channel: any Channel
    private let counter: Counter

    private final class Counter: Sendable {
        let packets = Atomic<Int>(0)
    }

    init(group: any EventLoopGroup) async throws {
        let counter = Counter()
        self.counter = counter
        channel = try await SinkSocket.bind(group: group) { Handler(counter: counter) }
    }

    var port: Int { channel.localAddress?.port ?? 0 }
    var packets: Int { counter.packets.load(ordering: .relaxed) }

    func close() async {
        try? await channel.close().get()
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let counter: Counter

        init(counter: Counter) {
            self.counter = counter
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let datagram = unwrapInboundIn(data).data
            // RFC 5761: payload types 192-223 are RTCP.
            guard let second = datagram.getInteger(at: datagram.readerIndex + 1, as: UInt8.self),
                !(192...223).contains(second)
            else { return }
            counter.packets.add(1, ordering: .relaxed)
        }
    }
}
