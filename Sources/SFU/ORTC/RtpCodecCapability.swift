/// A codec an endpoint or router can send or receive (mediasoup's `RtpCodecCapability`).
///
/// In a router's capabilities `preferredPayloadType` is always set and is the payload type
/// consumers must use. In router `mediaCodecs` it is optional (one is allocated).
public struct RtpCodecCapability: RtpCodec, Hashable, Codable {
    /// Overwritten by validation from the mime type's top-level type.
    public var kind: MediaKind
    public var mimeType: String
    public var preferredPayloadType: Int?
    /// Hz.
    public var clockRate: Int
    /// Audio only; validation defaults it to 1 for audio and removes it for video.
    public var channels: Int?
    public var parameters: [String: CodecParameterValue]
    public var rtcpFeedback: [RtcpFeedback]

    public init(
        kind: MediaKind, mimeType: String, preferredPayloadType: Int? = nil, clockRate: Int, channels: Int? = nil,
        parameters: [String: CodecParameterValue] = [:], rtcpFeedback: [RtcpFeedback] = []
    ) {
        self.kind = kind
        self.mimeType = mimeType
        self.preferredPayloadType = preferredPayloadType
        self.clockRate = clockRate
        self.channels = channels
        self.parameters = parameters
        self.rtcpFeedback = rtcpFeedback
    }

    /// mediasoup's `validateRtpCodecCapability`: `kind` from the mime type, `channels` 1 for
    /// audio, feedback parameters `""`; throws on a malformed mime type, payload type or `apt`.
    public mutating func validate() throws(OrtcError) {
        kind = try validateCommonFields()
        if let preferredPayloadType, !RtpPayloadTypes.all.contains(preferredPayloadType) {
            throw .invalid("invalid codec.preferredPayloadType [preferredPayloadType:\(preferredPayloadType)]")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind, mimeType, preferredPayloadType, clockRate, channels, parameters, rtcpFeedback
    }

    /// Lenient where mediasoup-client is: `kind` may be absent (taken from the mime type),
    /// `parameters` and `rtcpFeedback` may be absent or null.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mimeType = try container.decode(String.self, forKey: .mimeType)
        if let kind = try container.decodeIfPresent(MediaKind.self, forKey: .kind) {
            self.kind = kind
        } else if let kind = MediaKind(mimeType: mimeType) {
            self.kind = kind
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .mimeType, in: container, debugDescription: "invalid codec.mimeType")
        }
        preferredPayloadType = try container.decodeIfPresent(Int.self, forKey: .preferredPayloadType)
        clockRate = try container.decode(Int.self, forKey: .clockRate)
        channels = try container.decodeIfPresent(Int.self, forKey: .channels)
        parameters = try container.decodeIfPresent([String: CodecParameterValue].self, forKey: .parameters) ?? [:]
        rtcpFeedback = try container.decodeIfPresent([RtcpFeedback].self, forKey: .rtcpFeedback) ?? []
    }
}
