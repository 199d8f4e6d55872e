import Foundation

/// Wall-clock time as a 64-bit NTP timestamp (seconds since 1900 in the high word, fraction in
/// the low word), as RTCP sender reports carry it.
enum NtpTime {
    /// Seconds from 1900-01-01 to 1970-01-01.
    private static let unixEpochOffset: Double = 2_208_988_800

    static func now() -> UInt64 {
        timestamp(for: Date())
    }

    static func timestamp(for date: Date) -> UInt64 {
        let seconds = date.timeIntervalSince1970 + unixEpochOffset
        let whole = UInt64(seconds)
        let fraction = UInt64((seconds - Double(whole)) * 4_294_967_296)
        return whole << 32 | min(fraction, 0xFFFF_FFFF)
    }
}
