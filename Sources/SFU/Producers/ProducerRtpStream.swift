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
    var rtxSsrc: UInt32?
    var receive: RtpStreamRecv
    var lastPacketTime: NIODeadline?

    init(
        encodingIndex: Int, ssrc: UInt32, rid: String?, rtxSsrc: UInt32?, mappedSsrc: UInt32,
        codec: RtpCodecParameters, kind: MediaKind, scalabilityMode: ScalabilityMode
    ) {
        self.encodingIndex = encodingIndex
        self.ssrc = ssrc
        self.rid = rid
        self.rtxSsrc = rtxSsrc
        self.mappedSsrc = mappedSsrc
        self.codec = codec
        self.mediaPayloadType = UInt8(truncatingIfNeeded: codec.payloadType)
        self.keyFrameCodec = kind == .video ? CodecPayloadInspector.Codec(mimeType: codec.mimeType) : nil
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

    /// The VP8 temporal layer of a media packet, for the per-layer bitrates a consumer's
    /// bandwidth share is measured in; 0 for streams without temporal layers (not parsed).
    func temporalLayer(of packet: RtpPacket) -> Int {
        guard receive.parameters.temporalLayers > 1, keyFrameCodec == .vp8,
            let layer = Vp8PayloadDescriptor(payload: packet.payload)?.temporalLayer
        else { return 0 }
        return min(Int(layer), receive.parameters.temporalLayers - 1)
    }

    var score: Int { Int(receive.score) }

    /// Whether packets arrived recently enough for consumers to select this stream.
    func isActive(now: NIODeadline) -> Bool {
        guard let lastPacketTime else { return false }
        return now - lastPacketTime < RtpStreamRecv.inactivityInterval
    }
}
