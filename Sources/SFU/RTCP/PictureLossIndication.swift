import NIOCore

/// PSFB picture loss indication, PLI (RFC 4585 §6.3.1, FMT 1): the receiver lost picture data
/// and asks the sender for a key frame. No FCI.
public struct PictureLossIndication: Sendable, Equatable, Hashable {
    public static let feedbackMessageType: UInt8 = 1

    public var senderSsrc: UInt32
    /// The stream a key frame is requested for.
    public var mediaSsrc: UInt32

    public init(senderSsrc: UInt32, mediaSsrc: UInt32) {
        self.senderSsrc = senderSsrc
        self.mediaSsrc = mediaSsrc
    }

    init(reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        senderSsrc = try reader.readUInt32()
        mediaSsrc = try reader.readUInt32()
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        try RtcpPacketWriter.write(
            count: Int(Self.feedbackMessageType), packetType: RtcpPacketType.payloadSpecificFeedback, to: &buffer
        ) { body in
            body.writeInteger(senderSsrc)
            body.writeInteger(mediaSsrc)
        }
    }
}
