import NIOCore

/// Finds message boundaries in a TURN TCP or TLS byte stream (RFC 8656 §12.5), where STUN
/// messages and padded ChannelData messages follow each other with no other framing.
public enum StreamFraming {
    /// The length of the frame that starts at `buffer`'s reader index: 20 + the header length
    /// for STUN, 4 + the payload length rounded up to 4 for ChannelData. Nil while fewer than
    /// the 4 bytes that say it have arrived. The frame is complete once `buffer.readableBytes`
    /// reaches the returned length; cut it with `readSlice(length:)` and decode it.
    ///
    /// Throws when the stream cannot be STUN/ChannelData (`.notStun`) or announces a STUN
    /// length that is not a multiple of 4; the connection cannot be resynchronised, close it.
    public static func frameLength(in buffer: ByteBuffer) throws(StunParseError) -> Int? {
        let start = buffer.readerIndex
        guard let first = buffer.getInteger(at: start, as: UInt8.self),
            let length = buffer.getInteger(at: start + 2, as: UInt16.self).map(Int.init)
        else {
            return nil
        }
        switch first {
        case 0x00...0x3F:
            guard length % 4 == 0 else { throw .lengthNotMultipleOfFour(length) }
            return StunMessageHeader.byteCount + length
        case 0x40...0x7F:
            return ChannelData.headerLength + StunAttribute.padded(length)
        default:
            throw .notStun(firstByte: first)
        }
    }

    /// Takes the next whole frame out of `buffer`, or nil while it has not all arrived (the
    /// buffer is then left as it was). Throws as ``frameLength(in:)`` does.
    public static func readFrame(from buffer: inout ByteBuffer) throws(StunParseError) -> ByteBuffer? {
        guard let length = try frameLength(in: buffer), buffer.readableBytes >= length else { return nil }
        return buffer.readSlice(length: length)
    }
}
