import NIOCore

/// The 96-bit transaction ID that pairs a STUN response with its request (RFC 8489 §5).
///
/// Stored as three words instead of an array so that decoding a message does not allocate
/// for it and the value can key a dictionary of outstanding transactions cheaply.
public struct StunTransactionID: Hashable, Sendable {
    public static let byteCount = 12

    // Internal so XOR-ADDRESS encoding can mix them into IPv6 addresses word by word.
    let high: UInt32
    let middle: UInt32
    let low: UInt32

    /// Returns nil unless `bytes` holds exactly 12 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var words: (UInt32, UInt32, UInt32) = (0, 0, 0)
        for (index, byte) in bytes.enumerated() {
            let shifted = UInt32(byte) << (24 - 8 * UInt32(index % 4))
            switch index / 4 {
            case 0: words.0 |= shifted
            case 1: words.1 |= shifted
            default: words.2 |= shifted
            }
        }
        (self.high, self.middle, self.low) = words
    }

    /// Reads 12 bytes at `index` without moving the reader index; nil if they are not there.
    init?(buffer: ByteBuffer, at index: Int) {
        guard let high = buffer.getInteger(at: index, as: UInt32.self),
            let middle = buffer.getInteger(at: index + 4, as: UInt32.self),
            let low = buffer.getInteger(at: index + 8, as: UInt32.self)
        else { return nil }
        (self.high, self.middle, self.low) = (high, middle, low)
    }

    /// A fresh ID; RFC 8489 §5 asks for one that is uniformly random.
    public static func random() -> StunTransactionID {
        var generator = SystemRandomNumberGenerator()
        return .random(using: &generator)
    }

    /// A fresh ID drawn from `generator` (tests pass a seeded one). Inlinable so that the relay's
    /// per-packet draw is specialized for its generator rather than run generically.
    @inlinable
    public static func random(using generator: inout some RandomNumberGenerator) -> StunTransactionID {
        let word = generator.next()
        return StunTransactionID(
            high: UInt32(truncatingIfNeeded: word >> 32), middle: UInt32(truncatingIfNeeded: word),
            low: UInt32(truncatingIfNeeded: generator.next()))
    }

    @usableFromInline
    init(high: UInt32, middle: UInt32, low: UInt32) {
        (self.high, self.middle, self.low) = (high, middle, low)
    }

    /// The 12 bytes in network order.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(Self.byteCount)
        for word in [self.high, self.middle, self.low] {
            result.append(contentsOf: [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16),
                                       UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)])
        }
        return result
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.high)
        buffer.writeInteger(self.middle)
        buffer.writeInteger(self.low)
    }
}

extension StunTransactionID: CustomStringConvertible {
    public var description: String {
        self.bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }
}
