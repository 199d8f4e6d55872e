/// The abs-send-time header extension value: the sender's clock at send time as a 24-bit
/// 6.18 fixed-point number of seconds (6 integer bits, 18 fractional bits), wrapping every 64 s.
///
/// Only differences between values are meaningful; the receiver's bandwidth estimator compares
/// send-time deltas with arrival-time deltas.
public struct RtpAbsSendTime: Sendable, Equatable, Hashable {
    /// The 24-bit wire value (the top 8 bits are always zero).
    public let rawValue: UInt32

    /// Wraps a wire value; bits above the 24th are discarded.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue & 0xFF_FFFF
    }

    /// The value for a clock reading in microseconds (negative readings count as 0), rounded
    /// to the nearest 1/2^18 s.
    public init(microseconds: Int64) {
        // Reduce to the 64 s period first so the fixed-point shift cannot overflow.
        let withinPeriod = UInt64(max(0, microseconds)) % 64_000_000
        let units = ((withinPeriod << 18) + 500_000) / 1_000_000
        self.init(rawValue: UInt32(truncatingIfNeeded: units))
    }

    /// The value for a clock reading in milliseconds, rounded to the nearest 1/2^18 s.
    public init(milliseconds: Int64) {
        self.init(microseconds: milliseconds &* 1000)
    }

    /// The time this value denotes within its 64 s period, in microseconds.
    public var microseconds: Int64 {
        Int64((UInt64(rawValue) * 1_000_000 + (1 << 17)) >> 18)
    }
}
