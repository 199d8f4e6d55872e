import XCTest

@testable import SFU

final class ConsumerRtpParametersTests: XCTestCase {
    private func chromeConsumable() throws -> RtpParameters {
        try OrtcTestFixtures.consumable(kind: .video, producer: try OrtcTestFixtures.chromeVp8Producer()).parameters
    }

    private func consumer(
        of consumable: RtpParameters, for capabilities: RtpCapabilities, pipe: Bool = false, enableRtx: Bool = true
    ) throws(OrtcError) -> RtpParameters {
        var generator = SplitMix64(seed: 11)
        return try Ortc.consumerRtpParameters(
            consumableParameters: consumable, remoteCapabilities: capabilities, pipe: pipe, enableRtx: enableRtx,
            using: &generator)
    }

    /// Chrome's capabilities with the header extensions limited to `uris` (at their router ids).
    private func chromeCapabilities(keepingExtensions uris: Set<RtpHeaderExtensionUri>) throws -> RtpCapabilities {
        var capabilities = try OrtcTestFixtures.chromeDeviceCapabilities()
        capabilities.headerExtensions?.removeAll { ext in !uris.contains { $0.rawValue == ext.uri } }
        return capabilities
    }

    func testCanConsumeWhenTheEndpointHasTheMediaCodec() throws {
        let consumable = try chromeConsumable()
        XCTAssertTrue(Ortc.canConsume(consumableParameters: consumable, capabilities: try OrtcTestFixtures.chromeDeviceCapabilities()))
    }

    func testCannotConsumeWithoutTheMediaCodec() throws {
        let consumable = try chromeConsumable()
        var h264Only = try OrtcTestFixtures.chromeDeviceCapabilities()
        h264Only.codecs?.removeAll { $0.mimeType == "video/VP8" }
        XCTAssertFalse(Ortc.canConsume(consumableParameters: consumable, capabilities: h264Only))

        var rtxOnly = try OrtcTestFixtures.chromeDeviceCapabilities()
        rtxOnly.codecs?.removeAll { !$0.isRtx }
        XCTAssertFalse(
            Ortc.canConsume(consumableParameters: consumable, capabilities: rtxOnly), "a matching RTX codec is not enough")
    }

    func testCannotConsumeWithMalformedCapabilities() throws {
        let consumable = try chromeConsumable()
        var malformed = try OrtcTestFixtures.chromeDeviceCapabilities()
        malformed.codecs?[1].mimeType = "VP8"
        XCTAssertFalse(Ortc.canConsume(consumableParameters: consumable, capabilities: malformed))
    }

    func testConsumerWithRtxGetsOneEncodingWithRtxSsrcPlusOne() throws {
        let consumer = try consumer(of: try chromeConsumable(), for: try OrtcTestFixtures.chromeDeviceCapabilities())
        XCTAssertEqual(consumer.codecs.map(\.payloadType), [101, 102])
        let encoding = try XCTUnwrap(consumer.encodings?.first)
        XCTAssertEqual(consumer.encodings?.count, 1)
        let ssrc = try XCTUnwrap(encoding.ssrc)
        XCTAssertTrue(Ortc.randomSsrcRange.contains(ssrc))
        XCTAssertEqual(encoding.rtx, .init(ssrc: ssrc + 1))
        XCTAssertEqual(encoding.scalabilityMode, "L1T3")
        XCTAssertEqual(encoding.maxBitrate, 5_000_000)
        XCTAssertEqual(consumer.rtcp, RtcpParameters(cname: "Kz2q4EJnGDCqhxQu", reducedSize: true))
        XCTAssertNil(consumer.mid)
    }

    func testConsumerFeedbackIsTheEndpointsMinusRembWhenTransportCcIsNegotiated() throws {
        let consumer = try consumer(of: try chromeConsumable(), for: try OrtcTestFixtures.chromeDeviceCapabilities())
        XCTAssertEqual(consumer.codecs[0].rtcpFeedback, [.transportCc, .ccmFir, .nack, .nackPli])
        XCTAssertEqual(consumer.codecs[1].rtcpFeedback, [])
    }

    func testConsumerFeedbackKeepsRembWithAbsSendTimeOnly() throws {
        let capabilities = try chromeCapabilities(keepingExtensions: [.mid, .absSendTime])
        let consumer = try consumer(of: try chromeConsumable(), for: capabilities)
        XCTAssertEqual(consumer.codecs[0].rtcpFeedback, [.googRemb, .ccmFir, .nack, .nackPli])
    }

    func testConsumerFeedbackDropsBothEstimatorsWithoutTheirExtensions() throws {
        let capabilities = try chromeCapabilities(keepingExtensions: [.mid])
        let consumer = try consumer(of: try chromeConsumable(), for: capabilities)
        XCTAssertEqual(consumer.codecs[0].rtcpFeedback, [.ccmFir, .nack, .nackPli])
        XCTAssertEqual(consumer.headerExtensions?.map(\.uri), [RtpHeaderExtensionUri.mid.rawValue])
    }

    func testConsumerWithoutRtxDropsRtxAndPlainNackButKeepsPli() throws {
        let consumer = try consumer(
            of: try chromeConsumable(), for: try OrtcTestFixtures.chromeDeviceCapabilities(), enableRtx: false)
        XCTAssertEqual(consumer.codecs.map(\.mimeType), ["video/VP8"])
        XCTAssertEqual(consumer.codecs[0].rtcpFeedback, [.transportCc, .ccmFir, .nackPli])
        XCTAssertNil(consumer.encodings?.first?.rtx)
    }

    func testRtxIsDroppedWhenTheEndpointLacksIt() throws {
        var capabilities = try OrtcTestFixtures.chromeDeviceCapabilities()
        capabilities.codecs?.removeAll { $0.isRtx }
        let consumer = try consumer(of: try chromeConsumable(), for: capabilities)
        XCTAssertEqual(consumer.codecs.map(\.payloadType), [101])
        XCTAssertNil(consumer.encodings?.first?.rtx)
    }

    func testHeaderExtensionsNeedTheRouterIdAndUriInTheEndpointCapabilities() throws {
        var capabilities = try OrtcTestFixtures.chromeDeviceCapabilities()
        let toffset = RtpHeaderExtensionUri.toffset.rawValue
        capabilities.headerExtensions = capabilities.headerExtensions?.map { ext in
            var ext = ext
            if ext.uri == toffset { ext.preferredId = 2 }
            return ext
        }
        let consumer = try consumer(of: try chromeConsumable(), for: capabilities)
        XCTAssertEqual(consumer.headerExtensions?.map(\.id), [1, 4, 5, 11, 14])
        XCTAssertFalse(consumer.headerExtensions?.contains { $0.uri == toffset } ?? true)
    }

    func testSimulcastProducerBecomesOneSpatiallyLayeredEncoding() throws {
        let (consumable, _) = try OrtcTestFixtures.consumable(
            kind: .video, producer: OrtcTestFixtures.vp8SimulcastProducer())
        let consumer = try consumer(of: consumable, for: try OrtcTestFixtures.chromeDeviceCapabilities())
        XCTAssertEqual(consumer.encodings?.count, 1)
        XCTAssertEqual(consumer.encodings?.first?.scalabilityMode, "L3T3")
        XCTAssertEqual(consumer.encodings?.first?.maxBitrate, 5_000_000)
    }

    func testSimulcastWithoutScalabilityModeBecomesOneTemporalLayer() throws {
        var producer = OrtcTestFixtures.vp8SimulcastProducer()
        producer.encodings = [111_110, 111_111, 111_112].map { RtpEncodingParameters(ssrc: $0) }
        let (consumable, _) = try OrtcTestFixtures.consumable(kind: .video, producer: producer)
        let consumer = try consumer(of: consumable, for: try OrtcTestFixtures.chromeDeviceCapabilities())
        XCTAssertEqual(consumer.encodings?.first?.scalabilityMode, "L3T1")
        XCTAssertNil(consumer.encodings?.first?.maxBitrate)
    }

    func testSvcScalabilityModeIsKeptAsIs() throws {
        let producer = RtpParameters(
            mid: "3",
            codecs: [
                RtpCodecParameters(mimeType: "video/VP9", payloadType: 98, clockRate: 90000, parameters: ["profile-id": 2])
            ],
            encodings: [RtpEncodingParameters(ssrc: 5555, scalabilityMode: "L3T3_KEY")])
        let (consumable, _) = try OrtcTestFixtures.consumable(kind: .video, producer: producer)
        var capabilities = try OrtcTestFixtures.demoRouterCapabilities()
        capabilities.codecs?.removeAll { $0.mimeType != "video/VP9" && $0.mimeType != "video/rtx" }
        let consumer = try consumer(of: consumable, for: capabilities)
        XCTAssertEqual(consumer.codecs.map(\.payloadType), [103, 104])
        XCTAssertEqual(consumer.encodings?.first?.scalabilityMode, "L3T3_KEY")
    }

    func testNoCompatibleMediaCodecIsUnsupported() throws {
        var capabilities = try OrtcTestFixtures.chromeDeviceCapabilities()
        capabilities.codecs?.removeAll { $0.mimeType == "video/VP8" }
        let consumable = try chromeConsumable()
        XCTAssertThrowsOrtcError(
            try consumer(of: consumable, for: capabilities), .unsupported("no compatible media codecs"))
    }

    func testPipeConsumerKeepsEveryEncodingWithFreshSsrcs() throws {
        let (consumable, _) = try OrtcTestFixtures.consumable(
            kind: .video, producer: OrtcTestFixtures.vp8SimulcastProducer())
        let consumer = try consumer(of: consumable, for: try OrtcTestFixtures.chromeDeviceCapabilities(), pipe: true)
        let encodings = try XCTUnwrap(consumer.encodings)
        let base = try XCTUnwrap(encodings.first?.ssrc)
        let rtxBase = try XCTUnwrap(encodings.first?.rtx?.ssrc)
        XCTAssertEqual(encodings.map(\.ssrc), [base, base + 1, base + 2])
        XCTAssertEqual(encodings.map(\.rtx?.ssrc), [rtxBase, rtxBase + 1, rtxBase + 2])
        XCTAssertEqual(encodings.map(\.scalabilityMode), ["L1T3", "L1T3", "L1T3"])
    }

    func testPipeConsumerParametersKeepCodecsAndDropBandwidthEstimation() throws {
        let consumable = try chromeConsumable()
        var generator = SplitMix64(seed: 5)
        let pipe = Ortc.pipeConsumerRtpParameters(consumableParameters: consumable, enableRtx: true, using: &generator)
        XCTAssertEqual(pipe.codecs.map(\.payloadType), [101, 102])
        XCTAssertEqual(pipe.codecs[0].rtcpFeedback, [.nack, .nackPli, .ccmFir])
        XCTAssertEqual(pipe.headerExtensions?.map(\.id), [6, 7, 11, 12, 13, 14])
        XCTAssertNil(pipe.mid)
        let encoding = try XCTUnwrap(pipe.encodings?.first)
        XCTAssertNotEqual(encoding.ssrc, consumable.encodings?.first?.ssrc)
        XCTAssertNotNil(encoding.rtx)
        XCTAssertEqual(pipe.rtcp, consumable.rtcp)

        let withoutRtx = Ortc.pipeConsumerRtpParameters(
            consumableParameters: consumable, enableRtx: false, using: &generator)
        XCTAssertEqual(withoutRtx.codecs.map(\.payloadType), [101])
        XCTAssertEqual(withoutRtx.codecs[0].rtcpFeedback, [.nackPli, .ccmFir])
        XCTAssertNil(withoutRtx.encodings?.first?.rtx)
    }

    func testConsumerTypeFollowsTheProducerUnlessPiped() {
        XCTAssertEqual(ConsumerType(producerType: .simulcast, pipe: false), .simulcast)
        XCTAssertEqual(ConsumerType(producerType: .svc, pipe: false), .svc)
        XCTAssertEqual(ConsumerType(producerType: .simple, pipe: true), .pipe)
    }
}
