/// Maps the sequence numbers of the packets a consumer forwards (inputs) onto a continuous
/// output sequence, as mediasoup's `SeqManager` does.
///
/// - ``sync(_:)`` starts a new segment: that input gets the output after the highest output
///   so far, whatever its value (resume, producer restart, SSRC or layer switch).
/// - ``drop(_:)`` marks an input that is intentionally not forwarded; later outputs close up
///   so the receiver sees no gap (and sends no NACK) for it.
/// - ``input(_:)`` returns the output for a forwarded input, or nil for an input that was
///   dropped or lies before the current segment.
///
/// All arithmetic wraps at 2^16 and "higher" is RFC 1982 serial number order, so wrap-around
/// and reordering within ``maxMisorder`` are handled. Inputs more than ``maxMisorder`` behind
/// the highest input are refused: that bound lets dropped inputs that old be folded into the
/// offset, so the state stays small however many packets are dropped.
public struct SeqManager: Sendable, Equatable {
    /// How far behind the highest input a late packet may arrive and still be mapped
    /// (RFC 3550's MAX_MISORDER, which mediasoup's RtpStream also uses).
    public static let maxMisorder: UInt16 = 1500

    /// Added to an input to get its output, before subtracting the dropped inputs below it.
    private var base: UInt16 = 0
    private var started = false
    /// No input lower than this is mapped.
    private var floor: UInt16 = 0
    /// Dropped inputs not yet folded into `base`: ascending in RTP order, each at or above
    /// `floor` and at or below `maxInput`.
    private var dropped: [UInt16] = []

    /// The highest input seen, forwarded or dropped.
    public private(set) var maxInput: UInt16 = 0
    /// The highest output returned so far.
    public private(set) var maxOutput: UInt16

    /// - Parameter initialOutput: the output of the first input (the first input implicitly
    ///   syncs when ``sync(_:)`` was not called).
    public init(initialOutput: UInt16 = 0) {
        maxOutput = initialOutput &- 1
    }

    /// Starts a new segment at `input`: it maps to `maxOutput + 1 + skipping` (`skipping`
    /// outputs are left unused), and inputs lower than it are refused from now on. Forgets
    /// dropped inputs.
    public mutating func sync(_ input: UInt16, skipping: UInt16 = 0) {
        base = (maxOutput &+ 1 &+ skipping) &- input
        maxInput = input &- 1
        floor = input
        dropped.removeAll(keepingCapacity: true)
        started = true
    }

    /// Marks `input` as not forwarded so that later outputs leave no gap for it. Ignored
    /// unless `input` is higher than every input seen: an older input's slot in the output
    /// is already fixed.
    public mutating func drop(_ input: UInt16) {
        guard started, Self.isSeqHigher(input, than: maxInput) else { return }
        dropped.append(input)
        advanceMaxInput(to: input)
    }

    /// The output for `input`, or nil if `input` was dropped, is lower than the segment start,
    /// or is more than ``maxMisorder`` behind the highest input.
    public mutating func input(_ input: UInt16) -> UInt16? {
        if !started { sync(input) }
        guard !Self.isSeqLower(input, than: floor) else { return nil }
        let droppedBelow = droppedCount(below: input)
        if droppedBelow < dropped.count, dropped[droppedBelow] == input { return nil }
        let output = input &+ base &- UInt16(truncatingIfNeeded: droppedBelow)
        if Self.isSeqHigher(input, than: maxInput) { advanceMaxInput(to: input) }
        if Self.isSeqHigher(output, than: maxOutput) { maxOutput = output }
        return output
    }

    private mutating func advanceMaxInput(to input: UInt16) {
        maxInput = input
        let windowStart = input &- Self.maxMisorder
        if Self.isSeqHigher(windowStart, than: floor) { floor = windowStart }
        // Every input still accepted is at or above `floor`, so a dropped input below it
        // lowers the output of all of them alike: it becomes part of the offset.
        var folded = 0
        while folded < dropped.count, Self.isSeqLower(dropped[folded], than: floor) { folded += 1 }
        guard folded > 0 else { return }
        dropped.removeFirst(folded)
        base = base &- UInt16(truncatingIfNeeded: folded)
    }

    /// How many dropped inputs lie below `input` (binary search: `dropped` is ascending when
    /// measured from `floor`).
    private func droppedCount(below input: UInt16) -> Int {
        let key = input &- floor
        var low = 0
        var high = dropped.count
        while low < high {
            let middle = (low + high) / 2
            if dropped[middle] &- floor < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

// MARK: - Serial number order

extension SeqManager {
    /// True when `value` follows `other` in RFC 1982 serial number order: the forward distance
    /// from `other` to `value` is non-zero and less than half the number space.
    @inlinable
    public static func isSeqHigher<T: FixedWidthInteger & UnsignedInteger>(_ value: T, than other: T) -> Bool {
        let distance = value &- other
        return distance != 0 && distance <= T.max / 2
    }

    /// True when `value` precedes `other` in RFC 1982 serial number order.
    @inlinable
    public static func isSeqLower<T: FixedWidthInteger & UnsignedInteger>(_ value: T, than other: T) -> Bool {
        isSeqHigher(other, than: value)
    }
}
