import NIOCore

/// Rewrites the sequence numbers and timestamps of the packets one consumer stream forwards,
/// so the receiver sees one continuous stream across pauses, producer restarts, SSRC changes
/// and simulcast switches.
///
/// Sequence numbers go through a ``SeqManager``. Timestamps get a constant offset within a
/// segment; when a new segment starts (after ``requestSync()``) its first packet is placed
/// `elapsed × clockRate` ticks after the last packet sent (at least one tick), where `elapsed`
/// is the monotonic time between the two sends, and the offset is recomputed from it. The
/// very first packet starts at a random sequence number and timestamp (RFC 3550 §5.1).
public struct RtpStreamRewriter: Sendable {
    /// The consumer stream's clock rate in Hz.
    public let clockRate: UInt32

    private var seqManager: SeqManager
    private var timestampOffset: UInt32 = 0
    private var syncRequired = true
    /// Output sequence numbers the next segment leaves unused before its first packet.
    private var syncGap: UInt16 = 0
    private let initialTimestamp: UInt32

    /// The highest output timestamp so far (meaningful once ``lastSentAt`` is set).
    public private(set) var lastTimestamp: UInt32
    /// When the last packet was rewritten; nil before the first.
    public private(set) var lastSentAt: NIODeadline?

    /// A rewriter whose first packet gets exactly these values (tests, or a caller that
    /// continues a known stream).
    public init(clockRate: UInt32, initialSequenceNumber: UInt16, initialTimestamp: UInt32) {
        self.clockRate = clockRate
        self.seqManager = SeqManager(initialOutput: initialSequenceNumber)
        self.initialTimestamp = initialTimestamp
        self.lastTimestamp = initialTimestamp
    }

    /// A rewriter starting from a random sequence number and timestamp drawn from `generator`.
    public init(clockRate: UInt32, using generator: inout some RandomNumberGenerator) {
        self.init(
            clockRate: clockRate,
            initialSequenceNumber: .random(in: .min ... .max, using: &generator),
            initialTimestamp: .random(in: .min ... .max, using: &generator))
    }

    /// A rewriter starting from a random sequence number and timestamp.
    public init(clockRate: UInt32) {
        var generator = SystemRandomNumberGenerator()
        self.init(clockRate: clockRate, using: &generator)
    }

    /// The highest output sequence number so far.
    public var lastSequenceNumber: UInt16 { seqManager.maxOutput }

    /// The next rewritten packet starts a new source segment: it follows the last output
    /// directly, and packets older than it are refused. With `leavingGap`, one sequence number
    /// is left unused before it: the video frame sent last was cut short, and the gap keeps the
    /// receiver from completing that frame with the new segment's packets (mediasoup's
    /// simulcast switch does the same).
    public mutating func requestSync(leavingGap: Bool = false) {
        syncRequired = true
        syncGap = leavingGap ? 1 : 0
    }

    /// Marks an input packet that is not forwarded (a filtered layer, a padding-only packet),
    /// so the output sequence closes up over it.
    public mutating func drop(sequenceNumber: UInt16) {
        seqManager.drop(sequenceNumber)
    }

    /// The output sequence number and timestamp for a forwarded packet, or nil when the packet
    /// must not be sent (dropped, or older than the current segment).
    public mutating func rewrite(sequenceNumber: UInt16, timestamp: UInt32, now: NIODeadline)
        -> (sequenceNumber: UInt16, timestamp: UInt32)?
    {
        if syncRequired {
            seqManager.sync(sequenceNumber, skipping: syncGap)
            let segmentStart: UInt32
            if let lastSentAt {
                let elapsed = max(1, RtpClock.ticks(in: now - lastSentAt, clockRate: clockRate))
                segmentStart = lastTimestamp &+ UInt32(truncatingIfNeeded: elapsed)
            } else {
                segmentStart = initialTimestamp
            }
            timestampOffset = segmentStart &- timestamp
            syncRequired = false
        }
        guard let outputSequenceNumber = seqManager.input(sequenceNumber) else { return nil }
        let outputTimestamp = timestamp &+ timestampOffset
        if lastSentAt == nil || SeqManager.isSeqHigher(outputTimestamp, than: lastTimestamp) {
            lastTimestamp = outputTimestamp
        }
        lastSentAt = now
        return (outputSequenceNumber, outputTimestamp)
    }
}
