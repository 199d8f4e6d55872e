import NIOCore

/// RFC 4571 framing, which ICE-TCP (RFC 6544) uses to carry STUN, DTLS, RTP and RTCP packets
/// over a TCP connection: each packet is preceded by its length as a 16-bit big-endian number.
///
/// Decoding is sans-I/O: ``append(_:)`` what the connection read, then take packets with
/// ``nextPacket()`` until it returns nil. Reads may split a frame anywhere, or hold several.
/// Zero-length frames are RFC 4571's null packet and are skipped. The 16-bit LENGTH caps a
/// frame at 65,535 bytes, so as long as the owner drains after each read, at most one
/// unfinished frame (under 64 KiB) plus one read stays buffered.
///
/// Threading: a value type; use it from the connection's event loop.
public struct Rfc4571Framer: Sendable {
    /// Longest packet one frame carries: the most a 16-bit LENGTH can say.
    public static let maximumPacketLength = Int(UInt16.max)
    /// Size of the LENGTH field before each packet.
    public static let headerLength = 2

    private var buffer: ByteBuffer?

    public init() {}

    /// Bytes received and not yet returned as packets.
    public var bufferedByteCount: Int {
        buffer?.readableBytes ?? 0
    }

    /// Adds bytes read from the TCP connection.
    public mutating func append(_ bytes: ByteBuffer) {
        guard var pending = buffer, pending.readableBytes > 0 else {
            // Nothing pending: keep the read itself, no copy.
            buffer = bytes
            return
        }
        buffer = nil
        pending.discardReadBytes()
        pending.writeImmutableBuffer(bytes)
        buffer = pending
    }

    /// The next complete packet, without its LENGTH; nil until more bytes arrive.
    public mutating func nextPacket() -> ByteBuffer? {
        while var pending = buffer {
            guard let length = pending.getInteger(at: pending.readerIndex, as: UInt16.self).map(Int.init),
                pending.readableBytes >= Self.headerLength + length
            else { return nil }
            pending.moveReaderIndex(forwardBy: Self.headerLength)
            let packet = pending.readSlice(length: length)
            buffer = pending
            if let packet, length > 0 {
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
