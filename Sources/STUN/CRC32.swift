/// CRC-32 as zlib and ISO-HDLC define it (reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF), which is what FINGERPRINT uses (RFC 8489 §14.7).
///
/// Hand-written because no library this target may use exposes one: swift-crypto offers only
/// cryptographic digests and swift-nio none. A byte-wise table is plenty for STUN-sized messages.
struct CRC32 {
    private var state: UInt32 = 0xFFFF_FFFF

    init() {}

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            self.state = Self.table[Int(UInt8(truncatingIfNeeded: self.state) ^ byte)] ^ (self.state >> 8)
        }
    }

    var value: UInt32 {
        self.state ^ 0xFFFF_FFFF
    }

    /// `table[n]` is the CRC remainder of the single byte `n`.
    private static let table: [UInt32] = (0..<256).map { index in
        var remainder = UInt32(index)
        for _ in 0..<8 {
            remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0xEDB8_8320 : remainder >> 1
        }
        return remainder
    }
}
