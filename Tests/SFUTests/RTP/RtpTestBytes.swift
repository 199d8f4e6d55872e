import NIOCore
import SFU

/// Byte helpers for the RTP/RTCP tests (namespaced to stay clear of other test helpers in the
/// SFUTests module).
enum RtpTestBytes {
    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return buffer
    }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] {
        Array(buffer.readableBytesView)
    }

    /// A packet's header extension values by id (the first of each id).
    static func headerExtensions(_ packet: RtpPacket) -> [UInt8: [UInt8]] {
        var result: [UInt8: [UInt8]] = [:]
        for element in packet.headerExtensions where result[element.id] == nil {
            result[element.id] = bytes(element.value)
        }
        return result
    }

    /// A deterministic pseudo-random generator (SplitMix64), so fuzz-style tests are repeatable.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Header of a captured Chrome video packet with one-byte extensions (ids 2, 4, 13) and one
    /// byte of extension padding, followed here by a 4-byte payload.
    static let chromeOneByteExtensionPacket: [UInt8] = [
        0x90, 0x2D, 0x1A, 0x5F, 0xD4, 0x09, 0x05, 0x49,
        0xF7, 0xB1, 0x6E, 0x83, 0xBE, 0xDE, 0x00, 0x03,
        0x22, 0xF3, 0x43, 0x50,
        0x41, 0x00, 0x9B,
        0xD2, 0x81, 0x00, 0x45,
        0x00,
        0xDE, 0xAD, 0xBE, 0xEF,
    ]

    /// Header of a captured packet using the two-byte extension form (profile 0x1000), with a
    /// 33-byte value for id 13 that the one-byte form could not carry.
    static let twoByteExtensionPacket: [UInt8] = [
        0x90, 0x2D, 0x61, 0xC5, 0x95, 0x0A, 0x0F, 0xEE,
        0x8D, 0x38, 0x14, 0xE5, 0x10, 0x00, 0x00, 0x11,
        0x02, 0x03, 0x03, 0xF7, 0xAE,
        0x04, 0x02, 0x00, 0x02,
        0x09, 0x01, 0x30,
        0x03, 0x01, 0x00,
        0x06, 0x01, 0x02,
        0x07, 0x0D, 0x01, 0x00, 0x01, 0x00, 0x07, 0x00, 0x07, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x00,
        0x0D, 0x21, 0xC0, 0x00, 0x01, 0x80, 0x03, 0x18, 0x7A, 0xAA, 0xF1, 0x30, 0xA0, 0xA0, 0x14, 0xD1,
        0x41, 0x38, 0x23, 0x04, 0x60, 0x08, 0x64, 0x22, 0x22, 0x26, 0x50, 0x09, 0xF0, 0x07, 0x70, 0x13,
        0xF0, 0x0E, 0xF0,
    ]
}
