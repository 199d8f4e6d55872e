import NIOCore

@testable import SFU

/// Explicit time for the stream tests: milliseconds after a fixed, non-zero origin.
enum StreamTestTime {
    static let origin = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    static func at(_ milliseconds: Int64) -> NIODeadline {
        origin + .milliseconds(milliseconds)
    }

    /// A 64-bit NTP timestamp from seconds since 1900 and milliseconds.
    static func ntp(seconds: UInt32, milliseconds: UInt64) -> UInt64 {
        UInt64(seconds) << 32 + (milliseconds << 32) / 1000
    }
}

enum StreamTestPackets {
    /// A video packet of `payloadSize` bytes (12-byte header, no extensions).
    static func packet(sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32 = 0x1111, payloadSize: Int = 100) -> RtpPacket {
        RtpPacket(
            payloadType: 96, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc,
            payloadBytes: (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &+ Int(sequenceNumber)) })
    }
}
