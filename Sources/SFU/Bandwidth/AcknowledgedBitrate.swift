/// The bitrate the receiver reports receiving, from the arrival times in its transport-cc
/// feedback, over the last half second.
struct AcknowledgedBitrate {
    static let window: Int64 = 500_000
    /// Less than this much history gives no figure: a few packets say nothing about a rate.
    static let minimumSpan: Int64 = 100_000

    private var arrivals: [(time: Int64, size: Int)] = []
    private var windowBytes = 0

    /// Arrivals kept at most: a window's worth at well over 100 Mbit/s.
    static let capacity = 1 << 14

    /// Adds one received packet (arrival time in microseconds on the receiver's clock).
    mutating func add(arrivalTime: Int64, size: Int) {
        // An arrival a window before the newest is a clock that went back (the receiver's
        // 24-bit reference time wrapped, or it lies): the old figures no longer compare.
        if let newest = arrivals.last?.time, arrivalTime < newest - Self.window {
            arrivals.removeAll(keepingCapacity: true)
            windowBytes = 0
        }
        if arrivals.count >= Self.capacity {
            // A quarter at a time, so the cost of moving the rest is spread over many packets.
            let dropped = Self.capacity / 4
            windowBytes -= arrivals[..<dropped].reduce(0) { $0 + $1.size }
            arrivals.removeFirst(dropped)
        }
        arrivals.append((arrivalTime, size))
        windowBytes += size
        let latest = max(arrivals.last?.time ?? arrivalTime, arrivalTime)
        var drop = 0
        while drop < arrivals.count, arrivals[drop].time <= latest - Self.window {
            windowBytes -= arrivals[drop].size
            drop += 1
        }
        if drop > 0 { arrivals.removeFirst(drop) }
    }

    /// The arrivals kept.
    var count: Int { arrivals.count }

    /// Bits per second, nil until enough has arrived.
    var bitrate: Double? {
        guard let first = arrivals.first, let last = arrivals.last else { return nil }
        let span = last.time - first.time
        guard span >= Self.minimumSpan else { return nil }
        // Once the window is full it spans the whole window, not just first-to-last arrival.
        let seconds = Double(span >= Self.window * 9 / 10 ? Self.window : span) / 1_000_000
        return Double(windowBytes * 8) / seconds
    }
}
