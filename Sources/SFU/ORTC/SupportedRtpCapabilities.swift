/// Everything the media engine can forward (mediasoup's worker `supportedRtpCapabilities`,
/// mediasoup-compat §4.3), already in validated form (feedback parameters `""`, audio channels
/// set, header extension defaults filled).
///
/// This is not what clients load: routers expose ``Ortc/generateRouterRtpCapabilities(mediaCodecs:)``,
/// which picks from these codecs and assigns payload types. Static payload types (PCMU 0,
/// PCMA 8, G722 9, CN 13) are preset here; all others are allocated per router.
public enum SupportedRtpCapabilities {
    public static let capabilities = RtpCapabilities(codecs: codecs, headerExtensions: headerExtensions)

    private static let videoFeedback: [RtcpFeedback] = [.nack, .nackPli, .ccmFir, .googRemb, .transportCc]

    private static let codecs: [RtpCodecCapability] = [
        audio("audio/opus", clockRate: 48000, channels: 2, feedback: [.nack, .transportCc]),
        audio("audio/multiopus", clockRate: 48000, channels: 4, feedback: [.nack, .transportCc], parameters: [
            "channel_mapping": "0,1,2,3", "num_streams": 2, "coupled_streams": 2,
        ]),
        audio("audio/multiopus", clockRate: 48000, channels: 6, feedback: [.nack, .transportCc], parameters: [
            "channel_mapping": "0,4,1,2,3,5", "num_streams": 4, "coupled_streams": 2,
        ]),
        audio("audio/multiopus", clockRate: 48000, channels: 8, feedback: [.nack, .transportCc], parameters: [
            "channel_mapping": "0,6,1,2,3,4,5,7", "num_streams": 5, "coupled_streams": 3,
        ]),
        audio("audio/PCMU", payloadType: 0, clockRate: 8000, feedback: [.transportCc]),
        audio("audio/PCMA", payloadType: 8, clockRate: 8000, feedback: [.transportCc]),
        audio("audio/ISAC", clockRate: 32000, feedback: [.transportCc]),
        audio("audio/ISAC", clockRate: 16000, feedback: [.transportCc]),
        audio("audio/G722", payloadType: 9, clockRate: 8000, feedback: [.transportCc]),
        audio("audio/iLBC", clockRate: 8000, feedback: [.transportCc]),
        audio("audio/SILK", clockRate: 24000, feedback: [.transportCc]),
        audio("audio/SILK", clockRate: 16000, feedback: [.transportCc]),
        audio("audio/SILK", clockRate: 12000, feedback: [.transportCc]),
        audio("audio/SILK", clockRate: 8000, feedback: [.transportCc]),
        audio("audio/CN", payloadType: 13, clockRate: 32000),
        audio("audio/CN", payloadType: 13, clockRate: 16000),
        audio("audio/CN", payloadType: 13, clockRate: 8000),
        audio("audio/telephone-event", clockRate: 48000),
        audio("audio/telephone-event", clockRate: 32000),
        audio("audio/telephone-event", clockRate: 16000),
        audio("audio/telephone-event", clockRate: 8000),
        video("video/VP8"),
        video("video/VP9"),
        video("video/H264", parameters: ["level-asymmetry-allowed": 1]),
        video("video/H264-SVC", parameters: ["level-asymmetry-allowed": 1]),
        video("video/H265", parameters: ["level-asymmetry-allowed": 1]),
        video("video/AV1"),
    ]

    private static let headerExtensions: [RtpHeaderExtension] = [
        extensions(.mid, id: 1, kinds: [.audio, .video]),
        extensions(.rtpStreamId, id: 2, kinds: [.video], direction: .recvonly),
        extensions(.repairedRtpStreamId, id: 3, kinds: [.video], direction: .recvonly),
        extensions(.absSendTime, id: 4, kinds: [.audio, .video]),
        // recvonly for audio, as in mediasoup: audio consumers stay out of send-side bandwidth
        // estimation, so the router never stamps transport-cc on audio it sends.
        extensions(.transportWideCc01, id: 5, kinds: [.audio], direction: .recvonly),
        extensions(.transportWideCc01, id: 5, kinds: [.video]),
        extensions(.frameMarking07, id: 6, kinds: [.video]),
        extensions(.frameMarking, id: 7, kinds: [.video]),
        extensions(.ssrcAudioLevel, id: 10, kinds: [.audio]),
        extensions(.videoOrientation, id: 11, kinds: [.video]),
        extensions(.toffset, id: 12, kinds: [.video]),
        extensions(.absCaptureTime, id: 13, kinds: [.audio, .video]),
        extensions(.playoutDelay, id: 14, kinds: [.audio, .video]),
    ].flatMap { $0 }

    private static func audio(
        _ mimeType: String, payloadType: Int? = nil, clockRate: Int, channels: Int = 1, feedback: [RtcpFeedback] = [],
        parameters: [String: CodecParameterValue] = [:]
    ) -> RtpCodecCapability {
        RtpCodecCapability(
            kind: .audio, mimeType: mimeType, preferredPayloadType: payloadType, clockRate: clockRate,
            channels: channels, parameters: parameters, rtcpFeedback: feedback)
    }

    private static func video(
        _ mimeType: String, parameters: [String: CodecParameterValue] = [:]
    ) -> RtpCodecCapability {
        RtpCodecCapability(
            kind: .video, mimeType: mimeType, clockRate: 90000, parameters: parameters, rtcpFeedback: videoFeedback)
    }

    private static func extensions(
        _ uri: RtpHeaderExtensionUri, id: Int, kinds: [MediaKind], direction: RtpHeaderExtensionDirection = .sendrecv
    ) -> [RtpHeaderExtension] {
        kinds.map {
            RtpHeaderExtension(
                kind: $0, uri: uri.rawValue, preferredId: id, preferredEncrypt: false, direction: direction)
        }
    }
}
