import NIOCore

/// RFC 4571 framing, which ICE-TCP (RFC 6544) uses to carry STUN, DTLS, RTP and RTCP packets
/// over a TCP connection: each packet is preceded by its length as a 16-bit big-endian number.
///
/// Decoding is sans-I/O and in place: the connection appends what it reads to one buffer, and
/// ``takePacket(from:)`` takes the packets out of its front until it returns nil. Reads may split
/// a frame anywhere, or hold several. Zero-length frames are RFC 4571's null packet and are
/// skipped. The 16-bit LENGTH caps a frame at 65,535 bytes, so as long as the owner drains after
/// each read, at most one unfinished frame (under 64 KiB) plus one read stays buffered.
public enum Rfc4571Framer {
    /// Longest packet one frame carries: the most a 16-bit LENGTH can say.
    public static let maximumPacketLength = Int(UInt16.max)
    /// Size of the LENGTH field before each packet.
    public static let headerLength = 2

    /// The next complete packet at the front of `bytes`, without its LENGTH, taken out of them;
    /// nil until more bytes arrive.
    public static func takePacket(from bytes: inout ByteBuffer) -> ByteBuffer? {
        while let length = bytes.getInteger(at: bytes.readerIndex, as: UInt16.self).map(Int.init),
            bytes.readableBytes >= headerLength + length
        {
            bytes.moveReaderIndex(forwardBy: headerLength)
            if let packet = bytes.readSlice(length: length), length > 0 {
                return packet
            }
        }
        return nil
    }

    /// Appends `packet` with its LENGTH prefix to `output`. On error nothing is written.
    public static func frame(_ packet: ByteBuffer, into output: inout ByteBuffer) throws(Rfc4571FramingError) {
        let length = packet.readableBytes
        guard length <= maximumPacketLength else {
            throw .packetTooLong(length: length, maximum: maximumPacketLength)
        }
        output.reserveCapacity(minimumWritableBytes: headerLength + length)
        output.writeInteger(UInt16(length))
        output.writeImmutableBuffer(packet)
    }

    /// `packet` with its LENGTH prefix, in a new buffer.
    public static func framed(
        _ packet: ByteBuffer, allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(Rfc4571FramingError) -> ByteBuffer {
        var output = allocator.buffer(capacity: headerLength + packet.readableBytes)
        try frame(packet, into: &output)
        return output
    }
}
