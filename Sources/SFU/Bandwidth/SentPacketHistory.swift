/// The packets a transport sent with a transport-wide sequence number: it numbers them, and
/// keeps when and how big each was until the receiver's transport-cc feedback describes it.
///
/// Packets are kept in sequence order until described or older than ``maximumAge``, so the
/// history stays as small as what is in flight (a few dozen packets for a receiver that answers
/// every 100 ms) and hot in the cache.
///
/// Sans-I/O: times are microseconds on a monotonic clock.
struct SentPacketHistory {
    /// Feedback later than this after a packet was sent no longer says anything useful
    /// (receivers answer every 100 ms).
    static let maximumAge: Int64 = 1_000_000
    /// Packets kept at most, whatever their age.
    static let capacity = 1 << 13

    /// 16 bytes: the history of a busy transport stays within a few cache lines per feedback.
    private struct Entry {
        let sendTime: Int64
        let size: UInt16
        /// 0: not a probe (cluster numbers wrap after 65,535 probes, long after a cluster's
        /// feedback came in).
        let probeClusterId: UInt16
        var reported = false
    }

    /// Entries from `head` on are the packets numbered `firstSequenceNumber` on.
    private var entries: [Entry] = []
    private var head = 0
    private var firstSequenceNumber: Int64 = 1
    /// The unwrapped number the next packet gets.
    private var nextSequenceNumber: Int64 = 1

    /// Numbers a packet about to be sent and keeps it; returns its transport-wide sequence number.
    mutating func add(size: Int, sendTime: Int64, probeClusterId: Int? = nil) -> UInt16 {
        let sequenceNumber = nextSequenceNumber
        nextSequenceNumber += 1
        entries.append(Entry(
            sendTime: sendTime, size: UInt16(clamping: size),
            probeClusterId: UInt16(truncatingIfNeeded: probeClusterId ?? 0)))
        while head < entries.count - 1,
            entries.count - head > Self.capacity || entries[head].sendTime < sendTime - Self.maximumAge
        {
            head += 1
            firstSequenceNumber += 1
        }
        if head >= 64, head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
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
            let sequenceNumber = latest - Int64(UInt16(truncatingIfNeeded: latest) &- result.sequenceNumber)
            let index = head + Int(sequenceNumber - firstSequenceNumber)
            guard sequenceNumber >= firstSequenceNumber, index < entries.count, !entries[index].reported else { continue }
            entries[index].reported = true
            let entry = entries[index]
            matched.append(PacketFeedback(
                sendTime: entry.sendTime, size: Int(entry.size),
                probeClusterId: entry.probeClusterId == 0 ? nil : Int(entry.probeClusterId),
                arrivalTime: result.arrivalTime))
        }
        while head < entries.count - 1, entries[head].reported {
            head += 1
            firstSequenceNumber += 1
        }
        return matched
    }
}
