import NIOCore
import Synchronization

/// What a test endpoint received, in arrival order, until a test takes it. Taking the packets
/// a predicate accepts leaves the others for later reads, so RTP and RTCP arriving on one port
/// can be awaited separately.
final class PacketInbox: Sendable {
    struct Entry: Sendable {
        var bytes: ByteBuffer
        var arrival: ContinuousClock.Instant
    }

    private let entries = Mutex<[Entry]>([])

    func append(_ bytes: ByteBuffer) {
        let entry = Entry(bytes: bytes, arrival: .now)
        entries.withLock { $0.append(entry) }
    }

    /// Removes and returns, oldest first, up to `limit` entries `predicate` accepts.
    func take(limit: Int = .max, where predicate: (ByteBuffer) -> Bool = { _ in true }) -> [Entry] {
        entries.withLock { $0.takeFirst(limit) { predicate($0.bytes) } }
    }

    /// Takes accepted packets until there are `count` of them or `timeout` has passed.
    func receive(
        count: Int, timeout: Duration, where predicate: (ByteBuffer) -> Bool = { _ in true }
    ) async -> [ByteBuffer] {
        var collected: [ByteBuffer] = []
        await BoundedWait.until(timeout: timeout) {
            collected += take(limit: count - collected.count, where: predicate).map(\.bytes)
            return collected.count >= count
        }
        return collected
    }
}
