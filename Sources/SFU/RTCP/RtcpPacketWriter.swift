import NIOCore

/// Writes one RTCP packet: a header whose length is patched once the body is known, the body,
/// and padding up to the next 32-bit boundary.
struct RtcpPacketWriter {
    /// The largest packet the 16-bit length field can describe.
    static let maximumPacketLength = (Int(UInt16.max) + 1) * 4

    /// - Parameter usePaddingBit: pad with RFC 3550 padding (P bit, count in the last byte)
    ///   instead of zero bytes. Opaque bodies (APP data, unknown packets) need it so that the
    ///   padding is not mistaken for body bytes when the packet is parsed again; structured
    ///   bodies define their own zero padding (SDES chunks, BYE reason, transport-cc).
    static func write(
        count: Int, packetType: UInt8, usePaddingBit: Bool = false, to buffer: inout ByteBuffer,
        body: (inout ByteBuffer) throws(RtcpPacketError) -> Void
    ) throws(RtcpPacketError) {
        guard (0...31).contains(count) else {
            throw .cannotSerialize(reason: "count \(count) does not fit the 5-bit header field (0-31)")
        }
        let start = buffer.writerIndex
        RtcpHeader(count: UInt8(count), packetType: packetType, lengthInWordsMinusOne: 0).write(to: &buffer)
        do {
            try body(&buffer)
        } catch {
            buffer.moveWriterIndex(to: start)
            throw error
        }
        let padding = (4 - (buffer.writerIndex - start) % 4) % 4
        if usePaddingBit && padding > 0 {
            buffer.writeRepeatingByte(0, count: padding - 1)
            buffer.writeInteger(UInt8(padding))
            buffer.setInteger(UInt8(0xA0 | count), at: start)
        } else {
            buffer.writeRepeatingByte(0, count: padding)
        }
        let length = buffer.writerIndex - start
        guard length <= maximumPacketLength else {
            buffer.moveWriterIndex(to: start)
            throw .cannotSerialize(reason: "packet of \(length) bytes exceeds the RTCP length field")
        }
        buffer.setInteger(UInt16(length / 4 - 1), at: start + 2)
    }
}
