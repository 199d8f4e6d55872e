import NIOCore

/// The packets a consumer stream sent recently, by sequence number, so that NACKed ones can
/// be sent again; mediasoup's `RtpRetransmissionBuffer` plus the NACK handling of its
/// `RtpStreamSend`.
///
/// Stores packets as sent (already rewritten, before SRTP); storing shares the packet's bytes.
/// Invariants, kept by ``insert(_:now:)`` as mediasoup does:
/// - slots are consecutive sequence numbers from the oldest to the newest stored packet (a
///   slot may be empty), at most ``maxItems`` of them;
/// - timestamps do not decrease with the sequence number, and no packet is more than
///   ``maxRetransmissionDelay`` (in media time) older than the newest.
///
/// A packet is not resent twice within one round-trip time, nor once it has been stored longer
/// than ``maxRetransmissionDelay`` (a stalled stream).
public struct RtpRetransmissionBuffer: Sendable {
    /// mediasoup's limit on stored packets.
    public static let defaultMaxItems = 2500
    /// How old a video packet may be and still be resent.
    public static let maxRetransmissionDelayForVideo = TimeAmount.milliseconds(2000)
    /// How old an audio packet may be and still be resent.
    public static let maxRetransmissionDelayForAudio = TimeAmount.milliseconds(1000)
    /// Duplicate-suppression window while no RTT is known.
    public static let defaultRoundTripTime = TimeAmount.milliseconds(100)

    fileprivate struct Item: Sendable {
        var packet: RtpPacket
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var storedAt: NIODeadline
        var resentAt: NIODeadline?
        var sentTimes: Int
    }

    public let maxItems: Int
    public let maxRetransmissionDelay: TimeAmount
    public let clockRate: UInt32
    private let maxDelayTicks: Int64
    private var slots: SlotRing<Item>

    /// The round-trip time to the receiver; nil or zero uses ``defaultRoundTripTime``.
    public var roundTripTime: TimeAmount?

    /// Retransmissions returned so far.
    public private(set) var packetsRetransmitted = 0
    /// Retransmissions that were a packet's first (each repairs one loss).
    public private(set) var packetsRepaired = 0
    /// NACK packets received.
    public private(set) var nackCount = 0
    /// Sequence numbers requested by those NACKs.
    public private(set) var nackPacketCount = 0

    /// - Parameters:
    ///   - maxItems: the most slots (stored or empty) kept; at least 1.
    ///   - maxRetransmissionDelay: ``maxRetransmissionDelayForVideo`` or
    ///     ``maxRetransmissionDelayForAudio``.
    ///   - clockRate: the stream's clock rate in Hz, to measure packet age by timestamp.
    public init(maxItems: Int = defaultMaxItems, maxRetransmissionDelay: TimeAmount, clockRate: UInt32) {
        self.maxItems = max(1, maxItems)
        self.maxRetransmissionDelay = maxRetransmissionDelay
        self.clockRate = clockRate
        self.maxDelayTicks = RtpClock.ticks(in: maxRetransmissionDelay, clockRate: clockRate)
        self.slots = SlotRing(capacity: self.maxItems)
    }

    /// Number of packets stored.
    public var count: Int { slots.occupiedCount }

    /// Stores a sent packet. Ignored when it is a duplicate, too old, or its timestamp does not
    /// fit the order of the stored packets.
    ///
    /// `packet` may be the packet the sent one was made from rather than the sent one itself,
    /// with the sent `sequenceNumber` and `timestamp` given: a consumer stores the router's
    /// packet, whose storage every consumer shares, so a stored packet costs a few bytes per
    /// consumer instead of a copy each. Retrieval then puts the sent sequence number and
    /// timestamp back.
    public mutating func insert(
        _ packet: RtpPacket, sequenceNumber: UInt16? = nil, timestamp: UInt32? = nil, now: NIODeadline
    ) {
        let sequenceNumber = sequenceNumber ?? packet.sequenceNumber
        let timestamp = timestamp ?? packet.timestamp
        let item = Item(
            packet: packet, sequenceNumber: sequenceNumber, timestamp: timestamp, storedAt: now,
            resentAt: nil, sentTimes: 0)
        // Only the ends' sequence numbers and timestamps are needed: reading those instead of
        // whole items spares a retain and release of each stored packet per insert.
        guard var oldest = slots.firstKey, var newest = slots.lastKey else {
            slots.pushBack(item)
            return
        }

        // Lower sequence number but higher timestamp than the newest: the stream restarted.
        if SeqManager.isSeqLower(sequenceNumber, than: newest.sequenceNumber),
            SeqManager.isSeqHigher(timestamp, than: newest.timestamp)
        {
            slots.removeAll()
            slots.pushBack(item)
            return
        }

        // A packet newer in time than the buffer ages the buffer even if its sequence number is
        // older (heavy loss), so it is the reference for what is too old.
        let newestTimestamp = SeqManager.isSeqHigher(timestamp, than: newest.timestamp) ? timestamp : newest.timestamp
        if removeTooOld(newestTimestamp: newestTimestamp) {
            guard let first = slots.firstKey, let last = slots.lastKey else {
                slots.pushBack(item)
                return
            }
            (oldest, newest) = (first, last)
        }

        if SeqManager.isSeqHigher(sequenceNumber, than: newest.sequenceNumber) {
            guard !SeqManager.isSeqLower(timestamp, than: newest.timestamp) else { return }
            var blanks = Int(sequenceNumber &- newest.sequenceNumber) - 1
            let overflow = slots.count + blanks + 1 - maxItems
            if overflow > 0 {
                if overflow > slots.count - 1 {
                    slots.removeAll()
                    blanks = 0
                } else {
                    removeOldest(overflow)
                }
            }
            for _ in 0..<blanks { slots.pushBack(nil) }
            slots.pushBack(item)
        } else if SeqManager.isSeqLower(sequenceNumber, than: oldest.sequenceNumber) {
            guard !isTooOld(timestamp, newestTimestamp: newest.timestamp),
                !SeqManager.isSeqHigher(timestamp, than: oldest.timestamp)
            else { return }
            let blanks = Int(oldest.sequenceNumber &- sequenceNumber) - 1
            guard slots.count + blanks + 1 <= maxItems else { return }
            for _ in 0..<blanks { slots.pushFront(nil) }
            slots.pushFront(item)
        } else {
            // Half the sequence space away from the newest is neither higher nor lower; such a
            // number lies outside the stored range.
            let index = Int(sequenceNumber &- oldest.sequenceNumber)
            guard index < slots.count, slots[index] == nil else { return }
            // The timestamp must lie between those of the nearest stored neighbours.
            let ring = slots
            if let older = (0..<index).reversed().lazy.compactMap({ ring[$0] }).first,
                SeqManager.isSeqLower(timestamp, than: older.timestamp)
            {
                return
            }
            if let newer = ((index + 1)..<ring.count).lazy.compactMap({ ring[$0] }).first,
                SeqManager.isSeqHigher(timestamp, than: newer.timestamp)
            {
                return
            }
            slots[index] = item
        }
    }

    /// The stored packet with `sequenceNumber`, to send again now; nil when it is not stored,
    /// was stored longer than ``maxRetransmissionDelay`` ago, or was already resent within one
    /// RTT. Counts the retransmission.
    public mutating func packet(for sequenceNumber: UInt16, now: NIODeadline) -> RtpPacket? {
        guard let oldest = slots.first, !SeqManager.isSeqLower(sequenceNumber, than: oldest.sequenceNumber) else {
            return nil
        }
        let index = Int(sequenceNumber &- oldest.sequenceNumber)
        guard index < slots.count, var item = slots[index] else { return nil }
        guard now - item.storedAt <= maxRetransmissionDelay else { return nil }
        let rtt = roundTripTime.flatMap { $0 > .zero ? $0 : nil } ?? Self.defaultRoundTripTime
        if let resentAt = item.resentAt, now - resentAt <= rtt { return nil }
        item.resentAt = now
        item.sentTimes += 1
        slots[index] = item
        packetsRetransmitted += 1
        if item.sentTimes == 1 { packetsRepaired += 1 }
        var packet = item.packet
        if packet.sequenceNumber != item.sequenceNumber { packet.sequenceNumber = item.sequenceNumber }
        if packet.timestamp != item.timestamp { packet.timestamp = item.timestamp }
        return packet
    }

    /// Answers a NACK: the stored packets it asks for that may be resent now, in the order
    /// asked. Counts the NACK and the sequence numbers it requests.
    public mutating func receiveNack(_ nack: GenericNack, now: NIODeadline) -> [RtpPacket] {
        nackCount += 1
        var packets: [RtpPacket] = []
        for item in nack.items {
            let requested = item.sequenceNumbers
            nackPacketCount += requested.count
            for sequenceNumber in requested {
                if let packet = packet(for: sequenceNumber, now: now) { packets.append(packet) }
            }
        }
        return packets
    }

    /// Forgets every stored packet (the stream paused: nothing old is worth resending).
    public mutating func clear() {
        slots.removeAll()
    }

    private func isTooOld(_ timestamp: UInt32, newestTimestamp: UInt32) -> Bool {
        guard !SeqManager.isSeqHigher(timestamp, than: newestTimestamp) else { return false }
        return Int64(newestTimestamp &- timestamp) > maxDelayTicks
    }

    /// Removes stored packets from the front while too old; true if any was removed.
    private mutating func removeTooOld(newestTimestamp: UInt32) -> Bool {
        var removed = false
        while let oldest = slots.firstKey, isTooOld(oldest.timestamp, newestTimestamp: newestTimestamp) {
            removeOldest(1)
            removed = true
        }
        return removed
    }

    /// Removes `count` slots from the front, then any empty slots that became the front, so
    /// the first slot always holds a packet.
    private mutating func removeOldest(_ count: Int) {
        let target = max(0, slots.count - count)
        while slots.count > target {
            slots.popFront()
            while slots.count > 0, slots[0] == nil { slots.popFront() }
        }
    }
}

/// A double-ended ring of optional slots holding at most `capacity`: O(1) at both ends and by
/// index. Its storage starts small and doubles as needed, so a stream that only ever keeps a
/// few hundred packets (2 s of video) does not pay for mediasoup's limit of 2500. Storage sizes
/// are powers of two, so a position is a mask rather than a division.
private struct SlotRing<Element: Sendable>: Sendable {
    private static var initialStorage: Int { 64 }

    let capacity: Int
    private var storage: [Element?]
    private var mask: Int
    private var head = 0
    private(set) var count = 0
    private(set) var occupiedCount = 0

    init(capacity: Int) {
        self.capacity = capacity
        storage = Array(repeating: nil, count: Self.initialStorage)
        mask = Self.initialStorage - 1
    }

    subscript(index: Int) -> Element? {
        get { storage[(head + index) & mask] }
        set {
            let position = (head + index) & mask
            occupiedCount += (newValue == nil ? 0 : 1) - (storage[position] == nil ? 0 : 1)
            storage[position] = newValue
        }
    }

    /// The first slot's element; the buffer keeps its first and last slots occupied.
    var first: Element? { count > 0 ? self[0] : nil }
    var last: Element? { count > 0 ? self[count - 1] : nil }

    mutating func pushBack(_ element: Element?) {
        growIfFull()
        count += 1
        self[count - 1] = element
    }

    mutating func pushFront(_ element: Element?) {
        growIfFull()
        head = (head - 1) & mask
        count += 1
        self[0] = element
    }

    mutating func popFront() {
        self[0] = nil
        head = (head + 1) & mask
        count -= 1
    }

    mutating func removeAll() {
        for index in 0..<count { self[index] = nil }
        head = 0
        count = 0
    }

    /// Doubles the storage when every slot is in use, keeping the order.
    private mutating func growIfFull() {
        precondition(count < capacity, "SlotRing overflow")
        guard count == storage.count else { return }
        var grown = [Element?](repeating: nil, count: storage.count * 2)
        for index in 0..<count { grown[index] = storage[(head + index) & mask] }
        storage = grown
        mask = grown.count - 1
        head = 0
    }
}

/// Where a stored packet sits in its stream: what ordering and ageing look at.
private struct SlotKey {
    var sequenceNumber: UInt16
    var timestamp: UInt32
}

extension SlotRing where Element == RtpRetransmissionBuffer.Item {
    /// The first and last items' keys, read in place.
    fileprivate var firstKey: SlotKey? { count > 0 ? key(at: 0) : nil }
    fileprivate var lastKey: SlotKey? { count > 0 ? key(at: count - 1) : nil }

    private func key(at index: Int) -> SlotKey? {
        let position = (head + index) & mask
        guard let sequenceNumber = storage[position]?.sequenceNumber, let timestamp = storage[position]?.timestamp
        else { return nil }
        return SlotKey(sequenceNumber: sequenceNumber, timestamp: timestamp)
    }
}
