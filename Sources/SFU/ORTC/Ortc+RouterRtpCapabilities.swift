extension Ortc {
    /// Dynamic payload types in allocation order: 100–127 first, then 96–99, so routers built
    /// from the same media codecs agree with mediasoup's (opus 100, VP8 101/rtx 102…).
    static let dynamicPayloadTypePool: [Int] = Array(100...127) + Array(96...99)

    /// mediasoup's `generateRouterRtpCapabilities` (mediasoup-compat §4.4): each configured
    /// media codec is validated, matched non-strictly against ``SupportedRtpCapabilities`` and
    /// copied from it (so mime type casing and feedback are the supported codec's), with
    /// parameters merged over the supported codec's and a payload type from, in order, the
    /// configuration, the static table, or the dynamic pool. Each video codec is followed by
    /// its RTX codec. Header extensions are the full supported list.
    ///
    /// Throws ``OrtcError/unsupported(_:)`` for a codec the engine cannot forward, and
    /// ``OrtcError/invalid(_:)`` for malformed codecs, duplicated or non-dynamic preferred
    /// payload types, parameter values the payload format forbids, or an exhausted pool.
    public static func generateRouterRtpCapabilities(
        mediaCodecs: [RtpCodecCapability]
    ) throws(OrtcError) -> RtpCapabilities {
        let supportedCodecs = SupportedRtpCapabilities.capabilities.codecs ?? []
        var pool = dynamicPayloadTypePool
        var codecs: [RtpCodecCapability] = []

        for var mediaCodec in mediaCodecs {
            try mediaCodec.validate()
            let match = supportedCodecs.first { matchCodecs(mediaCodec, $0, strict: false) }
            guard let supportedCodec = match else {
                throw .unsupported("media codec not supported [mimeType:\(mediaCodec.mimeType)]")
            }
            var codec = supportedCodec
            if let preferredPayloadType = mediaCodec.preferredPayloadType {
                guard RtpPayloadTypes.dynamic.contains(preferredPayloadType)
                    || preferredPayloadType == supportedCodec.preferredPayloadType
                else {
                    throw .invalid(
                        "invalid codec.preferredPayloadType [mimeType:\(mediaCodec.mimeType), "
                            + "preferredPayloadType:\(preferredPayloadType)]; use 96-127")
                }
                codec.preferredPayloadType = preferredPayloadType
                pool.removeAll { $0 == preferredPayloadType }
            } else if codec.preferredPayloadType == nil {
                codec.preferredPayloadType = try takePayloadType(from: &pool)
            }
            guard !codecs.contains(where: { $0.preferredPayloadType == codec.preferredPayloadType }) else {
                throw .invalid("duplicated codec.preferredPayloadType")
            }
            codec.parameters.merge(mediaCodec.parameters) { _, configured in configured }
            try checkParameterValues(of: codec)
            codecs.append(codec)

            if codec.kind == .video, let mediaPayloadType = codec.preferredPayloadType {
                codecs.append(
                    RtpCodecCapability(
                        kind: .video, mimeType: "video/rtx", preferredPayloadType: try takePayloadType(from: &pool),
                        clockRate: codec.clockRate, parameters: ["apt": .number(Double(mediaPayloadType))],
                        rtcpFeedback: []))
            }
        }
        return RtpCapabilities(codecs: codecs, headerExtensions: SupportedRtpCapabilities.capabilities.headerExtensions)
    }

    private static func takePayloadType(from pool: inout [Int]) throws(OrtcError) -> Int {
        guard !pool.isEmpty else { throw .invalid("cannot allocate more dynamic codec payload types") }
        return pool.removeFirst()
    }

    /// Router codecs are server configuration, so values their payload format forbids (a VP9
    /// `profile-id` of 5, an unreadable H264 `profile-level-id`) are refused up front rather
    /// than negotiated into every session. Codecs without fmtp rules of their own (AV1) pass.
    private static func checkParameterValues(of codec: RtpCodecCapability) throws(OrtcError) {
        let mimeType = codec.mimeType.lowercased()
        let validatorKnowsCodec = CodecParameterValidator.supportedMimeTypes.contains { $0.lowercased() == mimeType }
        guard validatorKnowsCodec else { return }
        do {
            try CodecParameterValidator.validate(
                mimeType: codec.mimeType, clockRate: codec.clockRate, channels: codec.channels,
                parameters: codec.parameters)
        } catch {
            throw .invalid(error.description)
        }
    }
}
