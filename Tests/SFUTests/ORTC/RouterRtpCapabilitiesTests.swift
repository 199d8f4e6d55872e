import XCTest

@testable import SFU

final class RouterRtpCapabilitiesTests: XCTestCase {
    private let videoFeedback = OrtcTestFixtures.videoFeedback

    private func rtx(_ payloadType: Int, apt: Int) -> RtpCodecCapability {
        RtpCodecCapability(
            kind: .video, mimeType: "video/rtx", preferredPayloadType: payloadType, clockRate: 90000,
            parameters: ["apt": .number(Double(apt))], rtcpFeedback: [])
    }

    func testDemoMediaCodecsProduceTheWorkedExampleTable() throws {
        let capabilities = try OrtcTestFixtures.demoRouterCapabilities()

        let h264Parameters: [String: CodecParameterValue] = [
            "level-asymmetry-allowed": 1, "packetization-mode": 1, "x-google-start-bitrate": 1000,
        ]
        var h264Main = h264Parameters
        h264Main["profile-level-id"] = "4d0032"
        var h264Baseline = h264Parameters
        h264Baseline["profile-level-id"] = "42e01f"
        let expected: [RtpCodecCapability] = [
            RtpCodecCapability(
                kind: .audio, mimeType: "audio/opus", preferredPayloadType: 100, clockRate: 48000, channels: 2,
                parameters: [:], rtcpFeedback: [.nack, .transportCc]),
            RtpCodecCapability(
                kind: .video, mimeType: "video/VP8", preferredPayloadType: 101, clockRate: 90000,
                parameters: ["x-google-start-bitrate": 1000], rtcpFeedback: videoFeedback),
            rtx(102, apt: 101),
            RtpCodecCapability(
                kind: .video, mimeType: "video/VP9", preferredPayloadType: 103, clockRate: 90000,
                parameters: ["profile-id": 2, "x-google-start-bitrate": 1000], rtcpFeedback: videoFeedback),
            rtx(104, apt: 103),
            RtpCodecCapability(
                kind: .video, mimeType: "video/H264", preferredPayloadType: 105, clockRate: 90000,
                parameters: h264Main, rtcpFeedback: videoFeedback),
            rtx(106, apt: 105),
            RtpCodecCapability(
                kind: .video, mimeType: "video/H264", preferredPayloadType: 107, clockRate: 90000,
                parameters: h264Baseline, rtcpFeedback: videoFeedback),
            rtx(108, apt: 107),
        ]
        XCTAssertEqual(capabilities.codecs, expected)
        XCTAssertEqual(capabilities.headerExtensions, SupportedRtpCapabilities.capabilities.headerExtensions)
    }

    func testRouterCapabilitiesEncodeAsMediasoupSendsThem() throws {
        let capabilities = try OrtcTestFixtures.demoRouterCapabilities()
        let opusAndVp8 = RtpCapabilities(codecs: Array(capabilities.codecs?.prefix(3) ?? []), headerExtensions: [])
        let mediasoupJson = """
            {"codecs": [
              {"kind": "audio", "mimeType": "audio/opus", "preferredPayloadType": 100, "clockRate": 48000,
               "channels": 2, "parameters": {},
               "rtcpFeedback": [{"type": "nack", "parameter": ""}, {"type": "transport-cc", "parameter": ""}]},
              {"kind": "video", "mimeType": "video/VP8", "preferredPayloadType": 101, "clockRate": 90000,
               "parameters": {"x-google-start-bitrate": 1000},
               "rtcpFeedback": [{"type": "nack", "parameter": ""}, {"type": "nack", "parameter": "pli"},
                                {"type": "ccm", "parameter": "fir"}, {"type": "goog-remb", "parameter": ""},
                                {"type": "transport-cc", "parameter": ""}]},
              {"kind": "video", "mimeType": "video/rtx", "preferredPayloadType": 102, "clockRate": 90000,
               "parameters": {"apt": 101}, "rtcpFeedback": []}
            ], "headerExtensions": []}
            """
        XCTAssertEqual(try OrtcTestFixtures.jsonObject(of: opusAndVp8), try OrtcTestFixtures.jsonObject(mediasoupJson))
    }

    func testFullHeaderExtensionTableHasMediasoupIdsAndDirections() throws {
        let extensions = try XCTUnwrap(SupportedRtpCapabilities.capabilities.headerExtensions)
        let rows = extensions.map { "\($0.kind.rawValue) \($0.preferredId) \($0.direction?.rawValue ?? "-") \($0.uri)" }
        XCTAssertEqual(rows, [
            "audio 1 sendrecv urn:ietf:params:rtp-hdrext:sdes:mid",
            "video 1 sendrecv urn:ietf:params:rtp-hdrext:sdes:mid",
            "video 2 recvonly urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            "video 3 recvonly urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            "audio 4 sendrecv http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "video 4 sendrecv http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "audio 5 recvonly http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "video 5 sendrecv http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "video 6 sendrecv http://tools.ietf.org/html/draft-ietf-avtext-framemarking-07",
            "video 7 sendrecv urn:ietf:params:rtp-hdrext:framemarking",
            "audio 10 sendrecv urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "video 11 sendrecv urn:3gpp:video-orientation",
            "video 12 sendrecv urn:ietf:params:rtp-hdrext:toffset",
            "audio 13 sendrecv http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
            "video 13 sendrecv http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
            "audio 14 sendrecv http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
            "video 14 sendrecv http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
        ])
        XCTAssertTrue(extensions.allSatisfy { $0.preferredEncrypt == false })
    }

    func testSupportedCodecTableIsAlreadyValidated() throws {
        var capabilities = SupportedRtpCapabilities.capabilities
        try capabilities.validate()
        XCTAssertEqual(capabilities, SupportedRtpCapabilities.capabilities)
        let mimeTypes = Set(capabilities.codecs?.map(\.mimeType) ?? [])
        XCTAssertEqual(mimeTypes, [
            "audio/opus", "audio/multiopus", "audio/PCMU", "audio/PCMA", "audio/ISAC", "audio/G722", "audio/iLBC",
            "audio/SILK", "audio/CN", "audio/telephone-event", "video/VP8", "video/VP9", "video/H264",
            "video/H264-SVC", "video/H265", "video/AV1",
        ])
    }

    func testStaticPayloadTypesAreKeptAndDoNotConsumeThePool() throws {
        let capabilities = try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
            RtpCodecCapability(kind: .audio, mimeType: "audio/PCMU", clockRate: 8000),
            RtpCodecCapability(kind: .audio, mimeType: "audio/G722", clockRate: 8000),
            RtpCodecCapability(kind: .audio, mimeType: "audio/CN", clockRate: 8000),
            RtpCodecCapability(kind: .audio, mimeType: "audio/telephone-event", clockRate: 8000),
        ])
        XCTAssertEqual(capabilities.codecs?.map(\.preferredPayloadType), [0, 9, 13, 100])
        XCTAssertEqual(capabilities.codecs?.first?.channels, 1)
        XCTAssertEqual(capabilities.codecs?[2].rtcpFeedback, [])
    }

    func testPreferredPayloadTypeIsKeptAndRemovedFromThePool() throws {
        let capabilities = try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
            RtpCodecCapability(kind: .video, mimeType: "video/VP8", preferredPayloadType: 101, clockRate: 90000),
            RtpCodecCapability(kind: .audio, mimeType: "audio/opus", clockRate: 48000, channels: 2),
        ])
        XCTAssertEqual(capabilities.codecs?.map(\.preferredPayloadType), [101, 100, 102])
        XCTAssertEqual(capabilities.codecs?[1].mimeType, "video/rtx")
        XCTAssertEqual(capabilities.codecs?[1].parameters["apt"], 101)
    }

    func testPoolContinuesWith96After127() throws {
        let many = (0..<15).map { _ in RtpCodecCapability(kind: .video, mimeType: "video/VP8", clockRate: 90000) }
        let capabilities = try Ortc.generateRouterRtpCapabilities(mediaCodecs: many)
        XCTAssertEqual(capabilities.codecs?.suffix(2).compactMap(\.preferredPayloadType), [96, 97])
        XCTAssertThrowsOrtcError(
            try Ortc.generateRouterRtpCapabilities(mediaCodecs: many + many.prefix(2)),
            .invalid("cannot allocate more dynamic codec payload types"))
    }

    func testConfiguredParametersOverrideSupportedOnesAndMimeTypeTakesSupportedCasing() throws {
        let capabilities = try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
            RtpCodecCapability(
                kind: .video, mimeType: "VIDEO/h264", clockRate: 90000, parameters: ["level-asymmetry-allowed": 0])
        ])
        XCTAssertEqual(capabilities.codecs?.first?.mimeType, "video/H264")
        XCTAssertEqual(capabilities.codecs?.first?.parameters, ["level-asymmetry-allowed": 0])
    }

    func testOpusWithoutChannelsIsNotSupported() {
        XCTAssertThrowsOrtcError(
            try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
                RtpCodecCapability(kind: .audio, mimeType: "audio/opus", clockRate: 48000)
            ]),
            .unsupported("media codec not supported [mimeType:audio/opus]"))
    }

    func testUnknownCodecIsNotSupported() {
        XCTAssertThrowsOrtcError(
            try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
                RtpCodecCapability(kind: .video, mimeType: "video/ulpfec", clockRate: 90000)
            ]),
            .unsupported("media codec not supported [mimeType:video/ulpfec]"))
    }

    func testDuplicatedPreferredPayloadTypeIsRejected() {
        XCTAssertThrowsOrtcError(
            try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
                RtpCodecCapability(kind: .video, mimeType: "video/VP8", clockRate: 90000),
                RtpCodecCapability(
                    kind: .audio, mimeType: "audio/opus", preferredPayloadType: 101, clockRate: 48000, channels: 2),
            ]),
            .invalid("duplicated codec.preferredPayloadType"))
    }

    func testStaticPayloadTypeCannotBeUsedForAnotherCodec() {
        XCTAssertThrowsOrtcError(
            try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
                RtpCodecCapability(kind: .video, mimeType: "video/VP8", preferredPayloadType: 8, clockRate: 90000)
            ]),
            .invalid("invalid codec.preferredPayloadType [mimeType:video/VP8, preferredPayloadType:8]; use 96-127"))
    }

    func testMalformedMimeTypeIsRejected() {
        XCTAssertThrowsOrtcError(
            try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
                RtpCodecCapability(kind: .video, mimeType: "VP8", clockRate: 90000)
            ]),
            .invalid("invalid codec.mimeType"))
    }

    func testParameterValueTheFormatForbidsIsRejected() throws {
        XCTAssertThrowsOrtcError(
            try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
                RtpCodecCapability(kind: .video, mimeType: "video/VP9", clockRate: 90000, parameters: ["profile-id": 5])
            ]),
            .invalid(
                "video/VP9 parameter 'profile-id' has the invalid value '5'; expected 0 or 2 "
                    + "(the VP9 profiles mediasoup forwards: 8-bit and 10-bit 4:2:0)"))
        let av1 = try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
            RtpCodecCapability(kind: .video, mimeType: "video/AV1", clockRate: 90000)
        ])
        XCTAssertEqual(av1.codecs?.map(\.mimeType), ["video/AV1", "video/rtx"])
    }

    func testMultiopusMatchesOnStreamCounts() throws {
        let capabilities = try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
            RtpCodecCapability(
                kind: .audio, mimeType: "audio/multiopus", clockRate: 48000, channels: 6,
                parameters: ["channel_mapping": "0,4,1,2,3,5", "num_streams": 4, "coupled_streams": 2])
        ])
        XCTAssertEqual(capabilities.codecs?.first?.channels, 6)
        XCTAssertThrowsOrtcError(
            try Ortc.generateRouterRtpCapabilities(mediaCodecs: [
                RtpCodecCapability(
                    kind: .audio, mimeType: "audio/multiopus", clockRate: 48000, channels: 6,
                    parameters: ["channel_mapping": "0,4,1,2,3,5", "num_streams": 3, "coupled_streams": 2])
            ]),
            .unsupported("media codec not supported [mimeType:audio/multiopus]"))
    }
}
