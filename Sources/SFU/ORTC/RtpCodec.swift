/// What a codec capability (``RtpCodecCapability``) and a negotiated codec
/// (``RtpCodecParameters``) have in common: the fields codec matching compares.
public protocol RtpCodec: Sendable {
    /// `audio/opus`, `video/VP8`, `video/rtx`… compared case-insensitively.
    var mimeType: String { get set }
    /// RTP clock rate in Hz.
    var clockRate: Int { get set }
    /// Audio channel count; nil for video.
    var channels: Int? { get set }
    /// fmtp parameters.
    var parameters: [String: CodecParameterValue] { get set }
    var rtcpFeedback: [RtcpFeedback] { get set }
}

extension RtpCodec {
    /// True for retransmission codecs (`audio/rtx`, `video/rtx`), which carry no media of their
    /// own and point at a media codec through the `apt` parameter.
    public var isRtx: Bool {
        MediaKind(mimeType: mimeType) != nil && mimeType.lowercased().hasSuffix("/rtx")
    }

    /// The `apt` parameter of an RTX codec: the payload type it retransmits.
    public var associatedPayloadType: Int? { parameters["apt"]?.integerValue }

    /// Checks and defaults the fields shared by capabilities and parameters, as mediasoup's
    /// validators do, and returns the kind named by the mime type.
    mutating func validateCommonFields() throws(OrtcError) -> MediaKind {
        guard !mimeType.isEmpty else { throw .invalid("missing codec.mimeType") }
        guard let kind = MediaKind(mimeType: mimeType) else { throw .invalid("invalid codec.mimeType") }
        guard clockRate > 0 else { throw .invalid("invalid codec.clockRate [clockRate:\(clockRate)]") }
        switch kind {
        case .audio:
            let count = channels ?? 1
            guard count > 0 else { throw .invalid("invalid codec.channels [channels:\(count)]") }
            channels = count
        case .video:
            channels = nil
        }
        // Parameters go into receivers' a=fmtp lines (``SdpText``); names also without the
        // separators of that line.
        for (name, value) in parameters {
            guard !SdpText.containsControlCharacter(name), !name.contains(where: { $0 == " " || $0 == "=" || $0 == ";" }),
                !SdpText.containsControlCharacter(value.stringValue)
            else { throw .invalid("invalid codec parameter [name:\(name.debugDescription)]: control characters are not allowed") }
        }
        if let apt = parameters["apt"] {
            // mediasoup demands a JSON number here; "101" as a string is rejected.
            guard case .number = apt, let payloadType = apt.integerValue, RtpPayloadTypes.all.contains(payloadType)
            else { throw .invalid("invalid codec apt parameter") }
        }
        for index in rtcpFeedback.indices {
            try rtcpFeedback[index].validate()
        }
        return kind
    }
}
