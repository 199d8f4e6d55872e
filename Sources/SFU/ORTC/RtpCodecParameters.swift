/// A codec as used on one stream (mediasoup's `RtpCodecParameters`): media codecs and their RTX
/// codecs, with the payload types actually on the wire.
public struct RtpCodecParameters: RtpCodec, Hashable, Codable {
    public var mimeType: String
    /// 0–127.
    public var payloadType: Int
    /// Hz.
    public var clockRate: Int
    /// Audio only; validation defaults it to 1 for audio and removes it for video.
    public var channels: Int?
    public var parameters: [String: CodecParameterValue]
    public var rtcpFeedback: [RtcpFeedback]

    public init(
        mimeType: String, payloadType: Int, clockRate: Int, channels: Int? = nil,
        parameters: [String: CodecParameterValue] = [:], rtcpFeedback: [RtcpFeedback] = []
    ) {
        self.mimeType = mimeType
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.channels = channels
        self.parameters = parameters
        self.rtcpFeedback = rtcpFeedback
    }

    /// mediasoup's `validateRtpCodecParameters`: `channels` 1 for audio, feedback parameters
    /// `""`; throws on a malformed mime type, payload type or `apt`.
    public mutating func validate() throws(OrtcError) {
        _ = try validateCommonFields()
        guard RtpPayloadTypes.all.contains(payloadType) else {
            throw .invalid("invalid codec.payloadType [payloadType:\(payloadType)]")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case mimeType, payloadType, clockRate, channels, parameters, rtcpFeedback
    }

    /// `parameters` and `rtcpFeedback` may be absent or null, as mediasoup accepts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mimeType = try container.decode(String.self, forKey: .mimeType)
        payloadType = try container.decode(Int.self, forKey: .payloadType)
        clockRate = try container.decode(Int.self, forKey: .clockRate)
        channels = try container.decodeIfPresent(Int.self, forKey: .channels)
        parameters = try container.decodeIfPresent([String: CodecParameterValue].self, forKey: .parameters) ?? [:]
        rtcpFeedback = try container.decodeIfPresent([RtcpFeedback].self, forKey: .rtcpFeedback) ?? []
    }
}
