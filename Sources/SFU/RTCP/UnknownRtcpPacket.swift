import NIOCore

/// An RTCP packet this layer does not interpret (XR, TMMBR, SLI, RPSI, other application layer
/// feedback...), kept so it can be counted or forwarded unchanged.
public struct UnknownRtcpPacket: Sendable, Equatable {
    /// The 5-bit count / FMT field.
    public var count: UInt8
    public var packetType: UInt8
    /// The body after the 4-byte header, without padding (a slice of the received datagram).
    /// Written back with RFC 3550 padding when its length is not a multiple of 4.
    public var body: ByteBuffer

    public init(count: UInt8, packetType: UInt8, body: ByteBuffer) {
        self.count = count & 0x1F
        self.packetType = packetType
        self.body = body
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        try RtcpPacketWriter.write(count: Int(count & 0x1F), packetType: packetType, usePaddingBit: true, to: &buffer) { body in
            body.writeImmutableBuffer(self.body)
        }
    }
}
