@testable import SFU

/// The router codecs and producer parameters engine tests use.
enum EngineTestFixtures {
    /// mediasoup-demo's default `mediaCodecs`.
    static let demoMediaCodecs = RtpCodecCapability.mediasoupDemoCodecs

    /// Router payload types of `demoMediaCodecs` (mediasoup's allocation).
    static let routerOpusPayloadType: UInt8 = 100
    static let routerVp8PayloadType: UInt8 = 101

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

    /// Producer parameters of a VP8 sender that retransmits over RTX (payload type
    /// `payloadType + 1`, SSRC `rtxSsrc`).
    static func vp8ParametersWithRtx(ssrc: UInt32, rtxSsrc: UInt32, payloadType: Int = 96) -> RtpParameters {
        var parameters = vp8Parameters(ssrc: ssrc, payloadType: payloadType)
        parameters.codecs.append(
            RtpCodecParameters(
                mimeType: "video/rtx", payloadType: payloadType + 1, clockRate: 90000, parameters: ["apt": .number(Double(payloadType))]))
        parameters.encodings = [RtpEncodingParameters(ssrc: ssrc, rtx: .init(ssrc: rtxSsrc))]
        return parameters
    }

    /// Producer parameters of a VP8 simulcast sender: one encoding per SSRC, low to high, each
    /// with three temporal layers (what mediasoup-client's webcam sends).
    static func vp8SimulcastParameters(ssrcs: [UInt32], payloadType: Int = 96) -> RtpParameters {
        var parameters = vp8Parameters(ssrc: ssrcs[0], payloadType: payloadType)
        parameters.encodings = ssrcs.map { RtpEncodingParameters(ssrc: $0, scalabilityMode: "L1T3") }
        return parameters
    }

    /// Producer parameters of an Opus sender with NACK feedback on `ssrc`.
    static func opusParameters(ssrc: UInt32, payloadType: Int = 111) -> RtpParameters {
        RtpParameters(
            mid: nil,
            codecs: [
                RtpCodecParameters(
                    mimeType: "audio/opus", payloadType: payloadType, clockRate: 48000, channels: 2,
                    rtcpFeedback: [RtcpFeedback(type: "nack", parameter: "")])
            ],
            encodings: [RtpEncodingParameters(ssrc: ssrc)],
            rtcp: RtcpParameters(cname: "test-sender"))
    }

    /// `capabilities` without RTX codecs: an endpoint that cannot receive retransmissions on
    /// a separate stream.
    static func withoutRtx(_ capabilities: RtpCapabilities) -> RtpCapabilities {
        var reduced = capabilities
        reduced.codecs = capabilities.codecs?.filter { !$0.mimeType.lowercased().hasSuffix("/rtx") }
        return reduced
    }
}
