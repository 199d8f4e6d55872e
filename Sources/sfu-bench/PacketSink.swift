import NIOCore
import Synchronization

/// A UDP socket (a ``SinkSocket``) that counts the RTP packets it receives (RTCP reports are
/// not counted): the consumers' endpoint in the benchmark.
final class PacketSink: Sendable {
    private let socket: SinkSocket
    private let counter: Counter

    private final class Counter: Sendable {
        let packets = Atomic<Int>(0)
    }

    init() throws {
        let counter = Counter()
        self.counter = counter
        socket = try SinkSocket { datagram, _ in
            // RFC 5761: payload types 192-223 are RTCP.
            guard let second = datagram.getInteger(at: datagram.readerIndex + 1, as: UInt8.self),
                !(192...223).contains(second)
            else { return }
            counter.packets.add(1, ordering: .relaxed)
        }
    }

    var port: Int { socket.port }
    var packets: Int { counter.packets.load(ordering: .relaxed) }

    func close() async {
        await socket.close()
    }
}
