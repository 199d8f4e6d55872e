/// Checks that a codec a producer announces (or a router is configured with) is one the server
/// can forward, with a clock rate, channel count and fmtp parameters its payload format allows.
///
/// This is a check of values, not of negotiation: whether the codec also matches the router's
/// capabilities is the ORTC layer's question. Parameters the server does not know are accepted
/// untouched, as mediasoup does, so that new browser parameters do not break producers.
///
/// The codecs are mediasoup's supported set (mediasoup-compat §4.3) plus `video/rtx`, which
/// appears in every producer's `rtpParameters`.
public enum CodecParameterValidator {
    /// Mime types in their canonical casing, for error messages and documentation.
    public static var supportedMimeTypes: [String] { supportedCodecs.map(\.mimeType) }

    /// Throws the first problem found with the codec. `mimeType` is matched case-insensitively;
    /// a missing `channels` means 1, mediasoup's default for audio, and is ignored for video.
    public static func validate(
        mimeType: String,
        clockRate: Int,
        channels: Int? = nil,
        parameters: [String: CodecParameterValue] = [:]
    ) throws(CodecParameterError) {
        let lowercased = mimeType.lowercased()
        guard let codec = supportedCodecs.first(where: { $0.mimeType.lowercased() == lowercased }) else {
            throw .unsupportedMimeType(mimeType, supported: supportedMimeTypes)
        }
        guard codec.clockRates.contains(clockRate) else {
            throw .unsupportedClockRate(mimeType: codec.mimeType, clockRate: clockRate, supported: codec.clockRates)
        }
        if lowercased.hasPrefix("audio/") {
            let channelCount = channels ?? 1
            guard codec.channelCounts.contains(channelCount) else {
                throw .unsupportedChannelCount(mimeType: codec.mimeType, channels: channelCount, supported: codec.channelCounts)
            }
        } else {
            try validateVideoBitrates(mimeType: codec.mimeType, parameters: parameters)
        }

        switch lowercased {
        case "audio/opus":
            try OpusParameterValidator.validate(parameters)
        case "audio/multiopus":
            try OpusParameterValidator.validateMultistream(channels: channels ?? 1, parameters: parameters)
        case "video/vp8":
            try validateFrameLimits(mimeType: codec.mimeType, parameters: parameters)
        case "video/vp9":
            try validateFrameLimits(mimeType: codec.mimeType, parameters: parameters)
            try checkInteger("profile-id", in: parameters, mimeType: codec.mimeType, allowed: [0, 2],
                             expected: "0 or 2 (the VP9 profiles mediasoup forwards: 8-bit and 10-bit 4:2:0)")
        case "video/h264", "video/h264-svc":
            try validateH264(mimeType: codec.mimeType, parameters: parameters)
        case "video/h265":
            try checkFlag("level-asymmetry-allowed", in: parameters, mimeType: codec.mimeType)
        case "video/rtx":
            guard parameters["apt"] != nil else {
                throw .missingParameter(mimeType: codec.mimeType, name: "apt",
                                        expected: "the payload type 0-127 of the codec it retransmits")
            }
            try checkInteger("apt", in: parameters, mimeType: codec.mimeType, range: 0...127)
            try checkInteger("rtx-time", in: parameters, mimeType: codec.mimeType, range: 1...Int(Int32.max))
        default:
            break
        }
    }

    private struct SupportedCodec {
        var mimeType: String
        var clockRates: [Int]
        var channelCounts: [Int] = [1]
    }

    private static let supportedCodecs: [SupportedCodec] = [
        SupportedCodec(mimeType: "audio/opus", clockRates: [48000], channelCounts: [1, 2]),
        SupportedCodec(mimeType: "audio/multiopus", clockRates: [48000], channelCounts: [4, 6, 8]),
        SupportedCodec(mimeType: "audio/PCMU", clockRates: [8000]),
        SupportedCodec(mimeType: "audio/PCMA", clockRates: [8000]),
        SupportedCodec(mimeType: "audio/ISAC", clockRates: [16000, 32000]),
        SupportedCodec(mimeType: "audio/G722", clockRates: [8000]),
        SupportedCodec(mimeType: "audio/iLBC", clockRates: [8000]),
        SupportedCodec(mimeType: "audio/SILK", clockRates: [8000, 12000, 16000, 24000]),
        SupportedCodec(mimeType: "audio/CN", clockRates: [8000, 16000, 32000]),
        SupportedCodec(mimeType: "audio/telephone-event", clockRates: [8000, 16000, 32000, 48000]),
        SupportedCodec(mimeType: "video/VP8", clockRates: [90000]),
        SupportedCodec(mimeType: "video/VP9", clockRates: [90000]),
        SupportedCodec(mimeType: "video/H264", clockRates: [90000]),
        SupportedCodec(mimeType: "video/H264-SVC", clockRates: [90000]),
        SupportedCodec(mimeType: "video/H265", clockRates: [90000]),
        SupportedCodec(mimeType: "video/rtx", clockRates: [90000]),
    ]

    private static func validateH264(mimeType: String, parameters: [String: CodecParameterValue]) throws(CodecParameterError) {
        if let value = parameters[H264ProfileLevelId.parameterName] {
            do {
                _ = try H264ProfileLevelId(value.stringValue)
            } catch {
                throw .invalidProfileLevelId(mimeType: mimeType, value: value.stringValue, reason: error)
            }
        }
        try checkInteger("packetization-mode", in: parameters, mimeType: mimeType, allowed: [0, 1],
                         expected: "0 (single NAL unit) or 1 (non-interleaved)")
        try checkFlag("level-asymmetry-allowed", in: parameters, mimeType: mimeType)
    }

    /// `max-fr` and `max-fs` (RFC 7741 §6.1, draft VP9 payload format): positive integers.
    private static func validateFrameLimits(mimeType: String, parameters: [String: CodecParameterValue]) throws(CodecParameterError) {
        try checkInteger("max-fr", in: parameters, mimeType: mimeType, range: 1...Int(Int32.max))
        try checkInteger("max-fs", in: parameters, mimeType: mimeType, range: 1...Int(Int32.max))
    }

    /// libwebrtc's `x-google-*-bitrate` (kbit/s), which mediasoup-demo sets on every video codec.
    private static func validateVideoBitrates(mimeType: String, parameters: [String: CodecParameterValue]) throws(CodecParameterError) {
        for name in ["x-google-start-bitrate", "x-google-min-bitrate", "x-google-max-bitrate"] {
            try checkInteger(name, in: parameters, mimeType: mimeType, range: 1...Int(Int32.max))
        }
    }
}

// MARK: - Single-parameter checks shared by the per-codec validators

extension CodecParameterValidator {
    /// A boolean fmtp parameter: absent, 0 or 1.
    static func checkFlag(_ name: String, in parameters: [String: CodecParameterValue], mimeType: String) throws(CodecParameterError) {
        try checkInteger(name, in: parameters, mimeType: mimeType, allowed: [0, 1], expected: "0 or 1")
    }

    /// An integer parameter, when present, must lie in `range`.
    static func checkInteger(
        _ name: String, in parameters: [String: CodecParameterValue], mimeType: String, range: ClosedRange<Int>
    ) throws(CodecParameterError) {
        guard let value = parameters[name] else { return }
        guard let integer = value.integerValue, range.contains(integer) else {
            throw .invalidParameter(mimeType: mimeType, name: name, value: value,
                                    expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    /// An integer parameter, when present, must be one of `allowed`.
    static func checkInteger(
        _ name: String, in parameters: [String: CodecParameterValue], mimeType: String, allowed: Set<Int>, expected: String
    ) throws(CodecParameterError) {
        guard let value = parameters[name] else { return }
        guard let integer = value.integerValue, allowed.contains(integer) else {
            throw .invalidParameter(mimeType: mimeType, name: name, value: value, expected: expected)
        }
    }

    /// A numeric parameter, when present, must lie in `range`; returns it.
    @discardableResult
    static func checkNumber(
        _ name: String, in parameters: [String: CodecParameterValue], mimeType: String, range: ClosedRange<Double>, unit: String
    ) throws(CodecParameterError) -> Double? {
        guard let value = parameters[name] else { return nil }
        guard let number = value.numberValue, range.contains(number) else {
            throw .invalidParameter(mimeType: mimeType, name: name, value: value,
                                    expected: "a number of \(unit) from \(format(range.lowerBound)) to \(format(range.upperBound))")
        }
        return number
    }

    /// 2.5 → "2.5", 120 → "120".
    static func format(_ number: Double) -> String {
        Int(exactly: number).map(String.init) ?? String(number)
    }
}
