import NIOCore

/// The fixed 20-byte STUN header (RFC 8489 §5).
///
/// Decoded on its own so a server that cannot decode a whole request (a malformed attribute,
/// say) still learns the method and transaction ID it needs to answer 400 Bad Request.
public struct StunMessageHeader: Hashable, Sendable {
    public static let byteCount = 20
    public static let magicCookie: UInt32 = 0x2112_A442

    public let messageType: StunMessageType
    /// Length of the attributes that follow the header, in bytes; a multiple of 4.
    public let length: Int
    public let transactionID: StunTransactionID

    /// Checks everything that can be checked from the header alone: at least 20 bytes, the
    /// two leading zero bits, the magic cookie and a length that is a multiple of 4. It does
    /// not compare `length` with the bytes that follow; ``StunMessage`` does that.
    public init(decoding buffer: ByteBuffer) throws(StunParseError) {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= Self.byteCount,
            let rawType = buffer.getInteger(at: start, as: UInt16.self),
            let length = buffer.getInteger(at: start + 2, as: UInt16.self),
            let cookie = buffer.getInteger(at: start + 4, as: UInt32.self),
            let transactionID = StunTransactionID(buffer: buffer, at: start + 8)
        else {
            throw .truncatedHeader(available: buffer.readableBytes)
        }
        guard rawType & 0xC000 == 0 else {
            throw .notStun(firstByte: UInt8(truncatingIfNeeded: rawType >> 8))
        }
        guard cookie == Self.magicCookie else {
            throw .badMagicCookie(cookie)
        }
        guard length % 4 == 0 else {
            throw .lengthNotMultipleOfFour(Int(length))
        }
        self.messageType = StunMessageType(rawValue: rawType)
        self.length = Int(length)
        self.transactionID = transactionID
    }

    /// Writes a header announcing `length` bytes of attributes.
    static func write(type: StunMessageType, length: Int, transactionID: StunTransactionID, into buffer: inout ByteBuffer) {
        buffer.writeInteger(type.rawValue)
        buffer.writeInteger(UInt16(length))
        buffer.writeInteger(magicCookie)
        transactionID.write(into: &buffer)
    }
}
