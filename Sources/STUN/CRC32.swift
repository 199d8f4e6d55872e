/// CRC-32 as zlib and ISO-HDLC define it (reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF), which is what FINGERPRINT uses (RFC 8489 §14.7).
///
/// Hand-written because no library this target may use exposes one: swift-crypto offers only
/// cryptographic digests and swift-nio none. Eight bytes a step through eight tables
/// ("slicing-by-8"): a TURN server checks the FINGERPRINT of every Send indication it relays,
/// where a byte-wise table cost a tenth of the relay's CPU.
struct CRC32 {
    private var state: UInt32 = 0xFFFF_FFFF

    init() {}

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = state
        Self.tables.withUnsafeBufferPointer { table in
            var index = 0
            let count = bytes.count
            while index + 8 <= count {
                let low = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
                crc = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = table[Int(UInt8(truncatingIfNeeded: crc) ^ bytes[index])] ^ (crc >> 8)
                index += 1
            }
        }
        state = crc
    }

    var value: UInt32 {
        self.state ^ 0xFFFF_FFFF
    }

    /// Table `k` (entries `k * 256 ..< (k + 1) * 256`) holds the CRC remainder of byte `n`
    /// followed by `k` zero bytes; table 0 is the classic byte-wise table.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var remainder = UInt32(index)
            for _ in 0..<8 {
                remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0xEDB8_8320 : remainder >> 1
            }
            tables[index] = remainder
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(slice - 1) * 256 + index]
                tables[slice * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()
}
