import NIOCore

/// A TURN ChannelData message (RFC 8656 §12.4): a 4-byte header (channel number, payload
/// length) and the payload, relayed between a client and the peer bound to the channel.
///
/// Invariants: `channelNumber` is in ``validChannelNumbers`` and the payload is at most 65535
/// bytes.
public struct ChannelData: Hashable, Sendable {
    /// RFC 5766's range. RFC 8656 narrowed it to 0x4000–0x4FFF, but clients such as
    /// `turnutils_uclient` still pick from the wider one, so we accept all of it.
    public static let validChannelNumbers: ClosedRange<UInt16> = 0x4000...0x7FFF
    public static let headerLength = 4

    public let channelNumber: UInt16
    /// On decode, a slice of the received buffer, not a copy.
    public let payload: ByteBuffer

    /// Nil when the channel number is out of range or the payload exceeds 65535 bytes.
    public init?(channelNumber: UInt16, payload: ByteBuffer) {
        guard Self.validChannelNumbers.contains(channelNumber), payload.readableBytes <= Int(UInt16.max) else {
            return nil
        }
        self.channelNumber = channelNumber
        self.payload = payload
    }

    /// Decodes one ChannelData message that is all of `buffer`'s readable bytes, allowing up to
    /// three bytes of padding after the payload (mandatory over TCP, optional over UDP).
    /// The reader index is not moved.
    public init(decoding buffer: ByteBuffer) throws(ChannelDataParseError) {
        let start = buffer.readerIndex
        guard let channelNumber = buffer.getInteger(at: start, as: UInt16.self),
            let length = buffer.getInteger(at: start + 2, as: UInt16.self).map(Int.init)
        else {
            throw .truncatedHeader(available: buffer.readableBytes)
        }
        guard Self.validChannelNumbers.contains(channelNumber) else {
            throw .invalidChannelNumber(channelNumber)
        }
        let available = buffer.readableBytes - Self.headerLength
        guard available >= length, available <= StunAttribute.padded(length),
            let payload = buffer.getSlice(at: start + Self.headerLength, length: length)
        else {
            throw .lengthMismatch(declared: length, available: available)
        }
        self.channelNumber = channelNumber
        self.payload = payload
    }

    /// Bytes ``encode(into:padded:)`` writes.
    public func encodedLength(padded: Bool) -> Int {
        Self.headerLength + (padded ? StunAttribute.padded(self.payload.readableBytes) : self.payload.readableBytes)
    }

    /// Appends the message to `buffer`. Pass `padded: true` over TCP and TLS, where RFC 8656
    /// §12.5 requires padding to a multiple of 4 so the next frame starts aligned; over UDP
    /// padding only wastes bytes.
    public func encode(into buffer: inout ByteBuffer, padded: Bool) {
        buffer.reserveCapacity(minimumWritableBytes: self.encodedLength(padded: padded))
        buffer.writeInteger(self.channelNumber)
        buffer.writeInteger(UInt16(self.payload.readableBytes))
        buffer.writeImmutableBuffer(self.payload)
        if padded {
            buffer.writeRepeatingByte(0, count: StunAttribute.padded(self.payload.readableBytes) - self.payload.readableBytes)
        }
    }
}
