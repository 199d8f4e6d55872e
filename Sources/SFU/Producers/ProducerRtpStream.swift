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

    /// The temporal layer `descriptor` gives, within the stream's layers; 0 without one.
    func temporalLayer(of descriptor: Vp8PayloadDescriptor?) -> Int {
        min(Int(descriptor?.temporalLayer ?? 0), receive.parameters.temporalLayers - 1)
    }

    var score: Int { Int(receive.score) }

    /// Whether packets arrived recently enough for consumers to select this stream.
    func isActive(now: NIODeadline) -> Bool {
        guard let lastPacketTime else { return false }
        return now - lastPacketTime < RtpStreamRecv.inactivityInterval
    }
}
