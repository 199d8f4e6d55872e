import NIOCore

/// Detects lost packets of a received stream and decides which sequence numbers to NACK and
/// when, with mediasoup's `NackGenerator` limits.
///
/// Feed every packet of the media stream (and every packet repaired through RTX, with
/// `isRecovered`). A gap produces NACKs for the missing numbers at once; after that each is
/// asked for again whenever ``poll(now:rtt:)`` finds one RTT elapsed since its last request,
/// up to ``maxNackRetries`` times. Numbers older than ``maxPacketAge`` are forgotten. When more
/// than ``maxNackPackets`` would be missing, entries before the latest key frame are dropped
/// first; if that is not enough the list is cleared and a key frame must be requested instead.
///
/// Sequence numbers are compared in RFC 1982 order, so wrap-around is transparent. The list
/// is built as NACK items with ``GenericNack/init(senderSsrc:mediaSsrc:lostSequenceNumbers:)``.
public struct NackGenerator: Sendable {
    /// Missing packets this far behind the newest are no longer requested.
    public static let maxPacketAge: UInt16 = 10_000
    /// The most sequence numbers the list holds.
    public static let maxNackPackets = 1000
    /// How many times one sequence number is requested before it is given up.
    public static let maxNackRetries = 10
    /// Retry spacing while no RTT is known.
    public static let defaultRoundTripTime = TimeAmount.milliseconds(100)
    /// How often ``poll(now:rtt:)`` is due while sequence numbers are missing.
    public static let timerInterval = TimeAmount.milliseconds(40)

    /// What receiving one packet led to.
    public struct Reception: Sendable, Equatable {
        /// The packet filled a gap that had already been NACKed: a retransmission arrived.
        public var repairedNackedPacket: Bool
        /// Sequence numbers to NACK now, in RTP order.
        public var nackSequenceNumbers: [UInt16]
        /// The list overflowed and was cleared: the stream needs a key frame.
        public var keyFrameRequired: Bool

        public init(
            repairedNackedPacket: Bool = false, nackSequenceNumbers: [UInt16] = [], keyFrameRequired: Bool = false
        ) {
            self.repairedNackedPacket = repairedNackedPacket
            self.nackSequenceNumbers = nackSequenceNumbers
            self.keyFrameRequired = keyFrameRequired
        }
    }

    private struct Entry: Sendable {
        var sequenceNumber: UInt16
        var sentAt: NIODeadline?
        var retries: Int
    }

    private var started = false
    private var lastSequenceNumber: UInt16 = 0
    /// Missing sequence numbers, ascending in RTP order, all older than `lastSequenceNumber`.
    private var nackList: [Entry] = []
    /// First packets of key frames, ascending in RTP order.
    private var keyFrames: [UInt16] = []
    /// Packets that arrived through RTX ahead of the media stream: never NACKed.
    private var recovered: Set<UInt16> = []

    /// When ``poll(now:rtt:)`` is next due; nil while nothing is missing.
    public private(set) var nextTimeout: NIODeadline?

    public init() {}

    /// The sequence numbers currently missing, in RTP order.
    public var missingSequenceNumbers: [UInt16] { nackList.map(\.sequenceNumber) }

    /// Accounts for one received packet.
    ///
    /// - Parameters:
    ///   - isKeyFrame: the packet starts a key frame; older losses can be abandoned for it.
    ///   - isRecovered: the packet was repaired from RTX rather than received on the media
    ///     stream.
    public mutating func receivePacket(
        sequenceNumber: UInt16, isKeyFrame: Bool, isRecovered: Bool, now: NIODeadline
    ) -> Reception {
        guard started else {
            started = true
            lastSequenceNumber = sequenceNumber
            if isKeyFrame { keyFrames.append(sequenceNumber) }
            return Reception()
        }
        guard sequenceNumber != lastSequenceNumber else { return Reception() }

        if SeqManager.isSeqLower(sequenceNumber, than: lastSequenceNumber) {
            // Out of order or retransmitted: it leaves the list if it was missing.
            guard let index = nackListIndex(of: sequenceNumber) else { return Reception() }
            let entry = nackList.remove(at: index)
            return Reception(repairedNackedPacket: entry.retries != 0)
        }

        if isKeyFrame { keyFrames.append(sequenceNumber) }
        let oldest = sequenceNumber &- Self.maxPacketAge
        keyFrames.removeFirst(keyFrames.prefix { SeqManager.isSeqLower($0, than: oldest) }.count)

        if isRecovered {
            // Ahead of the media stream: remember it so the gap it fills is never NACKed, but
            // it does not move the stream forward.
            recovered.insert(sequenceNumber)
            recovered = recovered.filter { !SeqManager.isSeqLower($0, than: oldest) }
            return Reception()
        }

        let keyFrameRequired = addMissing(from: lastSequenceNumber &+ 1, upTo: sequenceNumber)
        lastSequenceNumber = sequenceNumber
        let batch = nackBatch(now: now, retryAfter: nil)
        if nextTimeout == nil, !nackList.isEmpty {
            nextTimeout = now + Self.timerInterval
        }
        return Reception(nackSequenceNumbers: batch, keyFrameRequired: keyFrameRequired)
    }

    /// The sequence numbers to NACK again: those never requested and those last requested at
    /// least one RTT ago. Harmless when called before ``nextTimeout``.
    ///
    /// - Parameter rtt: the current round-trip time; nil or zero uses
    ///   ``defaultRoundTripTime``.
    public mutating func poll(now: NIODeadline, rtt: TimeAmount?) -> [UInt16] {
        guard let deadline = nextTimeout, now >= deadline else { return [] }
        let spacing = rtt.flatMap { $0 > .zero ? $0 : nil } ?? Self.defaultRoundTripTime
        let batch = nackBatch(now: now, retryAfter: spacing)
        nextTimeout = nackList.isEmpty ? nil : now + Self.timerInterval
        return batch
    }

    /// Forgets everything, as for a stream that starts over.
    public mutating func reset() {
        self = NackGenerator()
    }

    /// Adds `start..<end` (wrapping) to the list, making room first; returns true when the list
    /// had to be cleared and a key frame is needed.
    private mutating func addMissing(from start: UInt16, upTo end: UInt16) -> Bool {
        let oldest = end &- Self.maxPacketAge
        nackList.removeFirst(nackList.prefix { SeqManager.isSeqLower($0.sequenceNumber, than: oldest) }.count)

        let newCount = Int(end &- start)
        if nackList.count + newCount > Self.maxNackPackets {
            while removeEntriesBeforeKeyFrame(), nackList.count + newCount > Self.maxNackPackets {}
            if nackList.count + newCount > Self.maxNackPackets {
                nackList.removeAll()
                return true
            }
        }
        var sequenceNumber = start
        while sequenceNumber != end {
            if !recovered.contains(sequenceNumber) {
                nackList.append(Entry(sequenceNumber: sequenceNumber, sentAt: nil, retries: 0))
            }
            sequenceNumber &+= 1
        }
        return false
    }

    /// Drops the entries older than the oldest key frame that still has some; returns false
    /// when no key frame helps.
    private mutating func removeEntriesBeforeKeyFrame() -> Bool {
        while let keyFrame = keyFrames.first {
            let older = nackList.prefix { SeqManager.isSeqLower($0.sequenceNumber, than: keyFrame) }.count
            if older > 0 {
                nackList.removeFirst(older)
                return true
            }
            keyFrames.removeFirst()
        }
        return false
    }

    /// Marks the due entries as sent and returns them. With `retryAfter` nil only entries never
    /// sent are due (a new gap); otherwise also those sent at least that long ago.
    private mutating func nackBatch(now: NIODeadline, retryAfter: TimeAmount?) -> [UInt16] {
        var batch: [UInt16] = []
        var exhausted = false
        for index in nackList.indices {
            let due: Bool
            if let sentAt = nackList[index].sentAt {
                due = retryAfter.map { now - sentAt >= $0 } ?? false
            } else {
                due = true
            }
            guard due else { continue }
            batch.append(nackList[index].sequenceNumber)
            nackList[index].retries += 1
            nackList[index].sentAt = now
            if nackList[index].retries >= Self.maxNackRetries { exhausted = true }
        }
        if exhausted { nackList.removeAll { $0.retries >= Self.maxNackRetries } }
        return batch
    }

    /// Binary search: the list's ages (distance behind `lastSequenceNumber`) strictly decrease.
    private func nackListIndex(of sequenceNumber: UInt16) -> Int? {
        let age = lastSequenceNumber &- sequenceNumber
        var low = 0
        var high = nackList.count
        while low < high {
            let middle = (low + high) / 2
            if lastSequenceNumber &- nackList[middle].sequenceNumber > age { low = middle + 1 } else { high = middle }
        }
        return low < nackList.count && nackList[low].sequenceNumber == sequenceNumber ? low : nil
    }
}
