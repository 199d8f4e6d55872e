/// The packets a transport sent with a transport-wide sequence number: it numbers them, and
/// keeps when and how big each was until the receiver's transport-cc feedback describes it.
///
/// Sans-I/O: times are microseconds on a monotonic clock.
struct SentPacketHistory {
    /// Packets kept at most (about 4 s at 2,000 packets/s); feedback for older ones is ignored.
    static let capacity = 1 << 13

    struct Entry {
        let sequenceNumber: Int64
        let sendTime: Int64
        let size: Int
        let probeClusterId: Int?
    }

    private var entries: [Entry?] = Array(repeating: nil, count: capacity)
    /// The unwrapped number the next packet gets.
    private var nextSequenceNumber: Int64 = 1

    /// Numbers a packet about to be sent and keeps it; returns its transport-wide sequence number.
    mutating func add(size: Int, sendTime: Int64, probeClusterId: Int? = nil) -> UInt16 {
        let sequenceNumber = nextSequenceNumber
        nextSequenceNumber += 1
        entries[Int(sequenceNumber & Int64(Self.capacity - 1))] = Entry(
            sequenceNumber: sequenceNumber, sendTime: sendTime, size: size, probeClusterId: probeClusterId)
        return UInt16(truncatingIfNeeded: sequenceNumber)
    }

    /// The sent packets `results` describe, each with its arrival time (nil: lost), in sequence
    /// order. Packets this history never sent, or no longer keeps, are left out; each packet is
    /// described once (a later feedback repeating it is ignored).
    mutating func match(_ results: [TransportWideCcFeedback.PacketResult]) -> [PacketFeedback] {
        var matched: [PacketFeedback] = []
        matched.reserveCapacity(results.count)
        let latest = nextSequenceNumber - 1
        for result in results {
            let distance = Int64(UInt16(truncatingIfNeeded: latest) &- result.sequenceNumber)
            let sequenceNumber = latest - distance
            let slot = Int(sequenceNumber & Int64(Self.capacity - 1))
            guard sequenceNumber > 0, let entry = entries[slot], entry.sequenceNumber == sequenceNumber else { continue }
            entries[slot] = nil
            matched.append(PacketFeedback(
                sequenceNumber: sequenceNumber, sendTime: entry.sendTime, size: entry.size,
                probeClusterId: entry.probeClusterId, arrivalTime: result.arrivalTime))
        }
        return matched
    }
}
