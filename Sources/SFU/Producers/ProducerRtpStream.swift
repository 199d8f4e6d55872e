import NIOCore

/// One received encoding of a producer: its receive statistics, loss detection and key frame
/// requests (``RtpStreamRecv``), and the SSRC the router forwards it under.
///
/// Must be used on the transport's event loop.
final class ProducerRtpStream {
    let encodingIndex: Int
    let ssrc: UInt32
    let rid: String?
    /// The SSRC the router forwards this stream under (mediasoup's mappedSsrc).
    let mappedSsrc: UInt32
    let codec: RtpCodecParameters
    let mediaPayloadType: UInt8
    let keyFrameCodec: CodecPayloadInspector.Codec?
    /// VP8 payload descriptors are read once here for what needs them: the per-temporal-layer
    /// bitrates, and the consumers that renumber pictures and filter temporal layers.
    private let parsesVp8Descriptors: Bool
    /// VP9 payload descriptors likewise: for the per-layer bitrates and the SVC consumers.
    private let parsesVp9Descriptors: Bool
    var rtxSsrc: UInt32?
    var receive: RtpStreamRecv
    var lastPacketTime: NIODeadline?

    init(
        encodingIndex: Int, ssrc: UInt32, rid: String?, rtxSsrc: UInt32?, mappedSsrc: UInt32,
        codec: RtpCodecParameters, kind: MediaKind, scalabilityMode: ScalabilityMode, selectsLayers: Bool
    ) {
        self.encodingIndex = encodingIndex
        self.ssrc = ssrc
        self.rid = rid
        self.rtxSsrc = rtxSsrc
        self.mappedSsrc = mappedSsrc
        self.codec = codec
        self.mediaPayloadType = UInt8(truncatingIfNeeded: codec.payloadType)
        self.keyFrameCodec = kind == .video ? CodecPayloadInspector.Codec(mimeType: codec.mimeType) : nil
        self.parsesVp8Descriptors = keyFrameCodec == .vp8 && (selectsLayers || scalabilityMode.temporalLayers > 1)
        self.parsesVp9Descriptors =
            keyFrameCodec == .vp9
            && (selectsLayers || scalabilityMode.spatialLayers > 1 || scalabilityMode.temporalLayers > 1)
        let feedback = codec.rtcpFeedback
        receive = RtpStreamRecv(parameters: .init(
            ssrc: ssrc, rtxSsrc: rtxSsrc, rid: rid, kind: kind.rawValue, mimeType: codec.mimeType,
            clockRate: UInt32(codec.clockRate), spatialLayers: scalabilityMode.spatialLayers,
            temporalLayers: scalabilityMode.temporalLayers,
            useNack: feedback.contains { $0.type == "nack" && ($0.parameter ?? "").isEmpty },
            usePli: feedback.contains { $0.type == "nack" && $0.parameter == "pli" },
            useFir: feedback.contains { $0.type == "ccm" && $0.parameter == "fir" },
            useDtx: false))
    }

    /// The VP8 payload descriptor of a media packet, for a stream whose consumers select layers
    /// or that has temporal layers; nil otherwise (not parsed).
    func vp8Descriptor(of packet: RtpPacket) -> Vp8PayloadDescriptor? {
        parsesVp8Descriptors ? Vp8PayloadDescriptor(payload: packet.payload) : nil
    }

    /// The VP9 payload descriptor of a media packet, for a stream with layers or SVC consumers;
    /// nil otherwise (not parsed).
    func vp9Descriptor(of packet: RtpPacket) -> Vp9PayloadDescriptor? {
        parsesVp9Descriptors ? Vp9PayloadDescriptor(payload: packet.payload) : nil
    }

    /// What the receive statistics take of a media packet, its layers read from its VP8 or VP9
    /// descriptor (0 without one) within the stream's.
    func packetInfo(
        of packet: RtpPacket, isKeyFrame: Bool, vp8: Vp8PayloadDescriptor?, vp9: Vp9PayloadDescriptor?
    ) -> RtpStreamRecv.PacketInfo {
        RtpStreamRecv.PacketInfo(
            sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, size: packet.size,
            isKeyFrame: isKeyFrame, isPaddingOnly: packet.payloadLength == 0,
            spatialLayer: min(Int(vp9?.spatialLayer ?? 0), receive.parameters.spatialLayers - 1),
            temporalLayer: min(Int(vp8?.temporalLayer ?? vp9?.temporalLayer ?? 0), receive.parameters.temporalLayers - 1))
    }

    var score: Int { Int(receive.score) }

    /// Whether packets arrived recently enough for consumers to select this stream.
    func isActive(now: NIODeadline) -> Bool {
        guard let lastPacketTime else { return false }
        return now - lastPacketTime < RtpStreamRecv.inactivityInterval
    }
}
