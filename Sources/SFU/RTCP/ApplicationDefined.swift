import NIOCore

/// RTCP application-defined packet, APP (RFC 3550 §6.7). An SFU has no use for its content, so
/// it is kept as parsed and written back unchanged.
public struct ApplicationDefined: Sendable, Equatable {
    /// The 5-bit subtype carried in the header's count field.
    public var subtype: UInt8
    public var ssrc: UInt32
    /// Four ASCII characters naming the application, as a big-endian 32-bit value.
    public var name: UInt32
    /// Application data. Data whose length is not a multiple of 4 (RFC 3550 requires one, but
    /// received packets may differ) is written with RFC 3550 padding so it reads back unchanged.
    public var data: ByteBuffer

    public init(subtype: UInt8, ssrc: UInt32, name: UInt32, data: ByteBuffer) {
        self.subtype = subtype & 0x1F
        self.ssrc = ssrc
        self.name = name
        self.data = data
    }

    /// The name as text.
    public var nameString: String {
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: name >> (24 - 8 * $0)) }
        return String(decoding: bytes, as: UTF8.self)
    }

    init(header: RtcpHeader, reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        subtype = header.count
        ssrc = try reader.readUInt32()
        name = try reader.readUInt32()
        data = try reader.readSlice(length: reader.remaining)
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        try RtcpPacketWriter.write(count: Int(subtype & 0x1F), packetType: RtcpPacketType.applicationDefined, usePaddingBit: true, to: &buffer) {
            body in
            body.writeInteger(ssrc)
            body.writeInteger(name)
            body.writeImmutableBuffer(data)
        }
    }
}
