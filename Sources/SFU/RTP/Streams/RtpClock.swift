import NIOCore

/// Conversions between monotonic time, a media clock (RTP timestamp ticks) and the NTP formats
/// RTCP reports use.
///
/// NTP timestamps are the RFC 5905 64-bit format (seconds since 1900 in the high 32 bits, the
/// fraction of a second in the low 32 bits), as ``SenderReport/ntpTimestamp`` holds them. The
/// "compact" or short format is the middle 32 bits: 16 bits of seconds, 16 bits of fraction,
/// the unit of LSR, DLSR and round-trip times.
enum RtpClock {
    private static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// Whole ticks of a `clockRate` Hz clock in `duration`, truncated toward zero.
    ///
    /// Exact for any duration; saturates instead of overflowing.
    static func ticks(in duration: TimeAmount, clockRate: UInt32) -> Int64 {
        let rate = Int64(clockRate)
        let seconds = duration.nanoseconds / nanosecondsPerSecond
        let remainder = duration.nanoseconds % nanosecondsPerSecond
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: rate)
        let (total, sumOverflow) = whole.addingReportingOverflow(remainder * rate / nanosecondsPerSecond)
        guard !overflow, !sumOverflow else { return duration.nanoseconds < 0 ? .min : .max }
        return total
    }

    /// The RTP clock reading at `instant`, modulo 2^32: monotonic uptime counted in ticks.
    ///
    /// Only differences between two readings mean anything (RFC 3550's arrival time in
    /// timestamp units).
    static func reading(at instant: NIODeadline, clockRate: UInt32) -> UInt32 {
        let uptime = TimeAmount.nanoseconds(Int64(clamping: instant.uptimeNanoseconds))
        return UInt32(truncatingIfNeeded: ticks(in: uptime, clockRate: clockRate))
    }

    /// The middle 32 bits of a 64-bit NTP timestamp.
    static func compactNtp(_ ntpTimestamp: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: ntpTimestamp >> 16)
    }

    /// `duration` in 1/65536 s units (the DLSR encoding), truncated; negative durations give 0
    /// and durations past 65536 s saturate.
    static func compactNtpDuration(_ duration: TimeAmount) -> UInt32 {
        guard duration.nanoseconds > 0 else { return 0 }
        let seconds = duration.nanoseconds / nanosecondsPerSecond
        guard seconds < 1 << 16 else { return .max }
        let fraction = ((duration.nanoseconds % nanosecondsPerSecond) << 16) / nanosecondsPerSecond
        return UInt32(seconds << 16 | fraction)
    }

    /// The duration a compact NTP value (1/65536 s units) stands for.
    static func duration(compactNtp value: UInt32) -> TimeAmount {
        .nanoseconds((Int64(value) * nanosecondsPerSecond) >> 16)
    }

    /// Whole milliseconds of monotonic uptime at `instant`, the `timestamp` of mediasoup's
    /// stats.
    static func milliseconds(at instant: NIODeadline) -> Int {
        Int(clamping: instant.uptimeNanoseconds / 1_000_000)
    }
}
