import XCTest

@testable import SFU

final class ProducerRtpParametersMappingTests: XCTestCase {
    private func map(
        _ parameters: inout RtpParameters, seed: UInt64 = 7
    ) throws(OrtcError) -> RtpParametersMapping {
        var generator = SplitMix64(seed: seed)
        return try Ortc.producerRtpParametersMapping(
            rtpParameters: &parameters, routerCapabilities: try OrtcTestFixtures.demoRouterCapabilities(),
            using: &generator)
    }

    private func h264Producer(_ parameters: [String: CodecParameterValue]) -> RtpParameters {
        RtpParameters(
            mid: "0",
            codecs: [RtpCodecParameters(mimeType: "video/H264", payloadType: 125, clockRate: 90000, parameters: parameters)])
    }

    func testChromeProducerPayloadTypesMapToRouterPreferredOnes() throws {
        var parameters = try OrtcTestFixtures.chromeVp8Producer()
        let mapping = try map(&parameters)
        XCTAssertEqual(
            mapping.codecs, [.init(payloadType: 96, mappedPayloadType: 101), .init(payloadType: 97, mappedPayloadType: 102)])
        let encoding = try XCTUnwrap(mapping.encodings.first)
        XCTAssertEqual(mapping.encodings.count, 1)
        XCTAssertEqual(encoding.ssrc, 2_793_465_201)
        XCTAssertNil(encoding.rid)
        XCTAssertEqual(encoding.scalabilityMode, "L1T3")
        XCTAssertTrue(Ortc.randomSsrcRange.contains(encoding.mappedSsrc))
    }

    func testSimulcastWithRidsGetsConsecutiveMappedSsrcs() throws {
        var parameters = OrtcTestFixtures.vp8SimulcastProducer()
        try parameters.validateForProducer()
        let mapping = try map(&parameters)
        XCTAssertEqual(mapping.encodings.map(\.rid), ["r0", "r1", "r2"])
        XCTAssertEqual(mapping.encodings.map(\.ssrc), [nil, nil, nil])
        XCTAssertEqual(mapping.encodings.map(\.scalabilityMode), ["L1T3", "L1T3", "L1T3"])
        let base = try XCTUnwrap(mapping.encodings.first?.mappedSsrc)
        XCTAssertEqual(mapping.encodings.map(\.mappedSsrc), [base, base + 1, base + 2])
    }

    func testSimulcastWithSsrcsKeepsEachProducerSsrc() throws {
        var parameters = OrtcTestFixtures.vp8SimulcastProducer()
        parameters.encodings = [111_110, 111_111, 111_112].map {
            RtpEncodingParameters(ssrc: $0, rtx: .init(ssrc: $0 + 10))
        }
        try parameters.validateForProducer()
        let mapping = try map(&parameters)
        XCTAssertEqual(mapping.encodings.map(\.ssrc), [111_110, 111_111, 111_112])
        let base = try XCTUnwrap(mapping.encodings.first?.mappedSsrc)
        XCTAssertEqual(mapping.encodings.map(\.mappedSsrc), [base, base + 1, base + 2])
    }

    func testMappedSsrcsComeFromTheInjectedGenerator() throws {
        var first = try OrtcTestFixtures.chromeVp8Producer()
        var second = try OrtcTestFixtures.chromeVp8Producer()
        var third = try OrtcTestFixtures.chromeVp8Producer()
        XCTAssertEqual(try map(&first, seed: 3), try map(&second, seed: 3))
        XCTAssertNotEqual(try map(&first, seed: 3), try map(&third, seed: 4))
    }

    func testOpusMapsToTheRouterOpus() throws {
        var parameters = RtpParameters(
            mid: "0",
            codecs: [
                RtpCodecParameters(
                    mimeType: "audio/opus", payloadType: 111, clockRate: 48000, channels: 2,
                    parameters: ["minptime": 10, "useinbandfec": 1], rtcpFeedback: [.transportCc])
            ],
            encodings: [RtpEncodingParameters(ssrc: 4444, dtx: true)])
        try parameters.validateForProducer()
        let mapping = try map(&parameters)
        XCTAssertEqual(mapping.codecs, [.init(payloadType: 111, mappedPayloadType: 100)])
        XCTAssertEqual(mapping.encodings.map(\.ssrc), [4444])
    }

    func testH264ProfileLevelIdIsRewrittenToTheNegotiatedAnswer() throws {
        var highLevel = h264Producer(["packetization-mode": 1, "profile-level-id": "42e034"])
        let mapping = try map(&highLevel)
        XCTAssertEqual(mapping.codecs, [.init(payloadType: 125, mappedPayloadType: 107)])
        XCTAssertEqual(
            highLevel.codecs[0].parameters["profile-level-id"], "42e01f",
            "without level asymmetry the answer takes the lower level (3.1)")

        var asymmetric = h264Producer(["packetization-mode": 1, "profile-level-id": "42e034", "level-asymmetry-allowed": 1])
        _ = try map(&asymmetric)
        XCTAssertEqual(asymmetric.codecs[0].parameters["profile-level-id"], "42e034", "with asymmetry the local level stays")

        var main = h264Producer(["packetization-mode": "1", "profile-level-id": "4d001f"])
        XCTAssertEqual(try map(&main).codecs, [.init(payloadType: 125, mappedPayloadType: 105)])
    }

    func testH264WithAnotherPacketizationModeIsUnsupported() {
        var parameters = h264Producer(["profile-level-id": "42e01f"])
        XCTAssertThrowsOrtcError(
            try map(&parameters), .unsupported("unsupported codec [mimeType:video/H264, payloadType:125]"))
        XCTAssertEqual(parameters.codecs[0].parameters, ["profile-level-id": "42e01f"], "parameters untouched on error")
    }

    func testCodecTheRouterLacksIsUnsupported() {
        var parameters = RtpParameters(
            mid: "0", codecs: [RtpCodecParameters(mimeType: "video/H265", payloadType: 120, clockRate: 90000)])
        XCTAssertThrowsOrtcError(
            try map(&parameters), .unsupported("unsupported codec [mimeType:video/H265, payloadType:120]"))
    }

    func testRtxWithoutAptIsRejected() throws {
        var parameters = try OrtcTestFixtures.chromeVp8Producer()
        parameters.codecs[1].parameters = [:]
        XCTAssertThrowsOrtcError(try map(&parameters), .invalid("missing media codec found for RTX PT 97"))

        parameters.codecs[1].parameters = ["apt": 55]
        XCTAssertThrowsOrtcError(try map(&parameters), .invalid("missing media codec found for RTX PT 97"))
    }

    func testRtxIsUnsupportedWhenTheRouterHasNoRtxForTheCodec() throws {
        var parameters = try OrtcTestFixtures.chromeVp8Producer()
        var capabilities = try OrtcTestFixtures.demoRouterCapabilities()
        capabilities.codecs?.removeAll { $0.isRtx }
        var generator = SplitMix64(seed: 1)
        XCTAssertThrowsOrtcError(
            try Ortc.producerRtpParametersMapping(
                rtpParameters: &parameters, routerCapabilities: capabilities, using: &generator),
            .unsupported("no RTX codec for capability codec PT 101"))
    }

    func testConsumableParametersUseRouterCodecsWithProducerParameters() throws {
        let (consumable, mapping) = try OrtcTestFixtures.consumable(
            kind: .video, producer: try OrtcTestFixtures.chromeVp8Producer())
        XCTAssertEqual(consumable.codecs, [
            RtpCodecParameters(
                mimeType: "video/VP8", payloadType: 101, clockRate: 90000, parameters: [:],
                rtcpFeedback: OrtcTestFixtures.videoFeedback),
            RtpCodecParameters(mimeType: "video/rtx", payloadType: 102, clockRate: 90000, parameters: ["apt": 101]),
        ])
        XCTAssertEqual(consumable.headerExtensions?.map(\.id), [1, 4, 5, 6, 7, 11, 12, 13, 14])
        XCTAssertTrue(consumable.headerExtensions?.allSatisfy { $0.encrypt == false && $0.parameters == [:] } ?? false)
        XCTAssertEqual(consumable.encodings, [
            RtpEncodingParameters(
                ssrc: mapping.encodings[0].mappedSsrc, dtx: false, scalabilityMode: "L1T3", maxBitrate: 5_000_000)
        ])
        XCTAssertEqual(consumable.rtcp, RtcpParameters(cname: "Kz2q4EJnGDCqhxQu", reducedSize: true))
        XCTAssertNil(consumable.mid)
    }

    func testConsumableAudioExtensionsLeaveOutReceiveOnlyTransportCc() throws {
        let producer = RtpParameters(
            mid: "0",
            codecs: [RtpCodecParameters(mimeType: "audio/opus", payloadType: 111, clockRate: 48000, channels: 2)])
        let (consumable, _) = try OrtcTestFixtures.consumable(kind: .audio, producer: producer)
        XCTAssertEqual(consumable.headerExtensions?.map(\.id), [1, 4, 10, 13, 14])
        XCTAssertEqual(consumable.codecs.map(\.payloadType), [100])
    }

    func testConsumableSimulcastEncodingsDropRidAndRtx() throws {
        let (consumable, mapping) = try OrtcTestFixtures.consumable(
            kind: .video, producer: OrtcTestFixtures.vp8SimulcastProducer())
        let encodings = try XCTUnwrap(consumable.encodings)
        XCTAssertEqual(encodings.map(\.ssrc), mapping.encodings.map(\.mappedSsrc))
        XCTAssertTrue(encodings.allSatisfy { $0.rid == nil && $0.rtx == nil && $0.codecPayloadType == nil })
        XCTAssertEqual(encodings.map(\.maxBitrate), [500_000, 1_000_000, 5_000_000])
        XCTAssertEqual(encodings.map(\.scaleResolutionDownBy), [4, 2, 1])
    }
}
