import NIOCore

/// One RTCP packet of a compound packet, decoded by type.
///
/// Feedback messages (RTPFB 205 / PSFB 206) are told apart by FMT; a PSFB FMT 15 message is
/// REMB only when it carries the "REMB" identifier. Anything else keeps its bytes as
/// ``unknown(_:)``.
public enum RtcpPacket: Sendable, Equatable {
    case senderReport(SenderReport)
    case receiverReport(ReceiverReport)
    case sourceDescription(Sdes)
    case goodbye(Bye)
    case applicationDefined(ApplicationDefined)
    case genericNack(GenericNack)
    case transportWideCcFeedback(TransportWideCcFeedback)
    case pictureLossIndication(PictureLossIndication)
    case fullIntraRequest(FullIntraRequest)
    case remb(Remb)
    case unknown(UnknownRtcpPacket)

    /// The RTCP packet type (PT) this packet is written with.
    public var packetType: UInt8 {
        switch self {
        case .senderReport: return RtcpPacketType.senderReport
        case .receiverReport: return RtcpPacketType.receiverReport
        case .sourceDescription: return RtcpPacketType.sourceDescription
        case .goodbye: return RtcpPacketType.goodbye
        case .applicationDefined: return RtcpPacketType.applicationDefined
        case .genericNack, .transportWideCcFeedback: return RtcpPacketType.transportLayerFeedback
        case .pictureLossIndication, .fullIntraRequest, .remb: return RtcpPacketType.payloadSpecificFeedback
        case .unknown(let packet): return packet.packetType
        }
    }

    /// Decodes one packet given its validated header and its body (after the header, padding
    /// removed).
    public init(header: RtcpHeader, body: ByteBuffer) throws(RtcpPacketError) {
        var reader = RtcpBodyReader(body: body, packetType: header.packetType)
        switch (header.packetType, header.count) {
        case (RtcpPacketType.senderReport, _):
            self = .senderReport(try SenderReport(header: header, reader: &reader))
        case (RtcpPacketType.receiverReport, _):
            self = .receiverReport(try ReceiverReport(header: header, reader: &reader))
        case (RtcpPacketType.sourceDescription, _):
            self = .sourceDescription(try Sdes(header: header, reader: &reader))
        case (RtcpPacketType.goodbye, _):
            self = .goodbye(try Bye(header: header, reader: &reader))
        case (RtcpPacketType.applicationDefined, _):
            self = .applicationDefined(try ApplicationDefined(header: header, reader: &reader))
        case (RtcpPacketType.transportLayerFeedback, GenericNack.feedbackMessageType):
            self = .genericNack(try GenericNack(reader: &reader))
        case (RtcpPacketType.transportLayerFeedback, TransportWideCcFeedback.feedbackMessageType):
            self = .transportWideCcFeedback(try TransportWideCcFeedback(reader: &reader))
        case (RtcpPacketType.payloadSpecificFeedback, PictureLossIndication.feedbackMessageType):
            self = .pictureLossIndication(try PictureLossIndication(reader: &reader))
        case (RtcpPacketType.payloadSpecificFeedback, FullIntraRequest.feedbackMessageType):
            self = .fullIntraRequest(try FullIntraRequest(reader: &reader))
        case (RtcpPacketType.payloadSpecificFeedback, Remb.feedbackMessageType) where Remb.isRemb(body: body):
            self = .remb(try Remb(reader: &reader))
        default:
            self = .unknown(UnknownRtcpPacket(count: header.count, packetType: header.packetType, body: body))
        }
    }

    /// Appends this packet's wire form (header, body, zero padding to 32 bits) to `buffer`.
    /// On error nothing is appended.
    public func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        switch self {
        case .senderReport(let packet): try packet.write(to: &buffer)
        case .receiverReport(let packet): try packet.write(to: &buffer)
        case .sourceDescription(let packet): try packet.write(to: &buffer)
        case .goodbye(let packet): try packet.write(to: &buffer)
        case .applicationDefined(let packet): try packet.write(to: &buffer)
        case .genericNack(let packet): try packet.write(to: &buffer)
        case .transportWideCcFeedback(let packet): try packet.write(to: &buffer)
        case .pictureLossIndication(let packet): try packet.write(to: &buffer)
        case .fullIntraRequest(let packet): try packet.write(to: &buffer)
        case .remb(let packet): try packet.write(to: &buffer)
        case .unknown(let packet): try packet.write(to: &buffer)
        }
    }

    /// This packet's wire form in a new buffer.
    public func serialized() throws(RtcpPacketError) -> ByteBuffer {
        var buffer = ByteBuffer()
        try write(to: &buffer)
        return buffer
    }
}
