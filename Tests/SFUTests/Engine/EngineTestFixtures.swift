@testable import SFU

/// The media codecs of mediasoup-demo's default configuration (opus, VP8, VP9, two H264).
enum EngineTestFixtures {
    static let demoMediaCodecs: [RtpCodecCapability] = [
        RtpCodecCapability(kind: .audio, mimeType: "audio/opus", clockRate: 48000, channels: 2),
        RtpCodecCapability(kind: .video, mimeType: "video/VP8", clockRate: 90000, parameters: ["x-google-start-bitrate": 1000]),
    ]

    /// Producer parameters of a VP8 sender with NACK/PLI feedback on `ssrc`.
    static func vp8Parameters(ssrc: UInt32, payloadType: Int = 96) -> RtpParameters {
        RtpParameters(
            mid: nil,
            codecs: [
                RtpCodecParameters(
                    mimeType: "video/VP8", payloadType: payloadType, clockRate: 90000,
                    rtcpFeedback: [RtcpFeedback(type: "nack", parameter: ""), RtcpFeedback(type: "nack", parameter: "pli")])
            ],
            encodings: [RtpEncodingParameters(ssrc: ssrc)],
            rtcp: RtcpParameters(cname: "test-sender"))
    }
}
