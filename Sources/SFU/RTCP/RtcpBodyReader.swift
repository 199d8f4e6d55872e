import NIOCore

/// Reads the fields of one RTCP packet body, turning every short read into a typed error that
/// names the packet type (so parsers never force-unwrap a read).
struct RtcpBodyReader {
    private(set) var buffer: ByteBuffer
    let packetType: UInt8
    private let bodyLength: Int

    init(body: ByteBuffer, packetType: UInt8) {
        self.buffer = body
        self.packetType = packetType
        self.bodyLength = body.readableBytes
    }

    var remaining: Int { buffer.readableBytes }
    var consumed: Int { bodyLength - buffer.readableBytes }

    mutating func readUInt8() throws(RtcpPacketError) -> UInt8 {
        guard let value = buffer.readInteger(as: UInt8.self) else { throw truncated(by: 1) }
        return value
    }

    mutating func readUInt16() throws(RtcpPacketError) -> UInt16 {
        guard let value = buffer.readInteger(as: UInt16.self) else { throw truncated(by: 2) }
        return value
    }

    /// A 24-bit big-endian field.
    mutating func readUInt24() throws(RtcpPacketError) -> UInt32 {
        guard remaining >= 3 else { throw truncated(by: 3) }
        let high = try readUInt8()
        let low = try readUInt16()
        return UInt32(high) << 16 | UInt32(low)
    }

    mutating func readUInt32() throws(RtcpPacketError) -> UInt32 {
        guard let value = buffer.readInteger(as: UInt32.self) else { throw truncated(by: 4) }
        return value
    }

    mutating func readSlice(length: Int) throws(RtcpPacketError) -> ByteBuffer {
        guard length >= 0, let slice = buffer.readSlice(length: length) else { throw truncated(by: length) }
        return slice
    }

    mutating func readBytes(length: Int) throws(RtcpPacketError) -> [UInt8] {
        guard length >= 0, let bytes = buffer.readBytes(length: length) else { throw truncated(by: length) }
        return bytes
    }

    mutating func skip(_ length: Int) throws(RtcpPacketError) {
        guard length >= 0, length <= remaining else { throw truncated(by: length) }
        buffer.moveReaderIndex(forwardBy: length)
    }

    /// Fails unless at least `length` more bytes remain (checked before looping over counts
    /// taken from the packet, so a lying count cannot drive a long loop).
    func require(_ length: Int) throws(RtcpPacketError) {
        guard length <= remaining else { throw truncated(by: length) }
    }

    func malformed(_ reason: String) -> RtcpPacketError {
        .malformed(packetType: packetType, reason: reason)
    }

    private func truncated(by length: Int) -> RtcpPacketError {
        .truncatedBody(packetType: packetType, needed: consumed + length, available: bodyLength)
    }
}
