/// Sequence number validation and the extended highest sequence number of a received RTP
/// source (RFC 3550 §A.1, without the probation period, as mediasoup's `RtpStream` does).
///
/// A packet ahead of the highest by less than ``maxDropout`` advances it (counting a cycle when
/// the 16-bit number wraps); one behind by at most ``maxMisorder`` is a late or duplicate packet
/// and is accepted as is. Anything else is discarded, unless it is followed by the very next
/// sequence number: then the sender is taken to have restarted and tracking starts over there.
struct RtpSequenceTracker: Sendable, Equatable {
    static let maxDropout: UInt16 = 3000
    static let maxMisorder: UInt16 = 1500

    enum Update: Equatable {
        case accepted
        /// Accepted after the source restarted: counters derived from the old sequence space
        /// must start over.
        case restarted
        case discarded
    }

    private(set) var started = false
    private(set) var baseSequenceNumber: UInt16 = 0
    private(set) var maxSequenceNumber: UInt16 = 0
    /// Wrap-arounds counted so far, times 2^16.
    private(set) var cycles: UInt32 = 0
    /// The sequence number that would confirm a restart (nil: none pending).
    private var badSequenceNumber: UInt16?
    /// Packets refused as too far from the expected sequence number.
    private(set) var packetsDiscarded = 0

    mutating func update(_ sequenceNumber: UInt16) -> Update {
        guard started else {
            start(at: sequenceNumber)
            return .accepted
        }
        let delta = sequenceNumber &- maxSequenceNumber
        if delta < Self.maxDropout {
            if sequenceNumber < maxSequenceNumber { cycles &+= 1 << 16 }
            maxSequenceNumber = sequenceNumber
            return .accepted
        }
        if delta <= UInt16.max - Self.maxMisorder + 1 {
            if sequenceNumber == badSequenceNumber {
                start(at: sequenceNumber)
                return .restarted
            }
            badSequenceNumber = sequenceNumber &+ 1
            packetsDiscarded += 1
            return .discarded
        }
        return .accepted
    }

    /// The extended highest sequence number received: cycles in the high 16 bits.
    var extendedHighestSequenceNumber: UInt32 {
        cycles | UInt32(maxSequenceNumber)
    }

    /// Packets expected since the start (or restart): highest minus base plus one.
    var expectedPackets: Int64 {
        guard started else { return 0 }
        return Int64(cycles) + Int64(maxSequenceNumber) - Int64(baseSequenceNumber) + 1
    }

    private mutating func start(at sequenceNumber: UInt16) {
        started = true
        baseSequenceNumber = sequenceNumber
        maxSequenceNumber = sequenceNumber
        cycles = 0
        badSequenceNumber = nil
    }
}
