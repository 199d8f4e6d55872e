import XCTest

@testable import SFU

final class RtpParametersValidationTests: XCTestCase {
    func testCapabilityValidationFillsMediasoupDefaults() throws {
        var capabilities = RtpCapabilities(
            codecs: [
                RtpCodecCapability(
                    kind: .video, mimeType: "audio/PCMU", clockRate: 8000,
                    rtcpFeedback: [RtcpFeedback(type: "transport-cc")]),
                RtpCodecCapability(kind: .video, mimeType: "video/VP8", clockRate: 90000, channels: 2),
            ],
            headerExtensions: [RtpHeaderExtension(kind: .audio, uri: "urn:ietf:params:rtp-hdrext:sdes:mid", preferredId: 1)])
        try capabilities.validate()
        let codecs = try XCTUnwrap(capabilities.codecs)
        XCTAssertEqual(codecs[0].kind, .audio, "kind comes from the mime type")
        XCTAssertEqual(codecs[0].channels, 1)
        XCTAssertEqual(codecs[0].rtcpFeedback, [RtcpFeedback(type: "transport-cc", parameter: "")])
        XCTAssertNil(codecs[1].channels, "video has no channels")
        XCTAssertEqual(capabilities.headerExtensions?.first?.preferredEncrypt, false)
        XCTAssertEqual(capabilities.headerExtensions?.first?.direction, .sendrecv)

        var empty = RtpCapabilities()
        try empty.validate()
        XCTAssertEqual(empty, RtpCapabilities(codecs: [], headerExtensions: []))
    }

    func testParametersValidationFillsMediasoupDefaults() throws {
        var parameters = RtpParameters(
            codecs: [RtpCodecParameters(mimeType: "audio/opus", payloadType: 111, clockRate: 48000, channels: 2)],
            headerExtensions: [RtpHeaderExtensionParameters(uri: "urn:ietf:params:rtp-hdrext:sdes:mid", id: 1)],
            encodings: [RtpEncodingParameters(ssrc: 11)])
        try parameters.validate()
        XCTAssertEqual(parameters.encodings, [RtpEncodingParameters(ssrc: 11, dtx: false)])
        XCTAssertEqual(parameters.rtcp, RtcpParameters(reducedSize: true))
        XCTAssertEqual(
            parameters.headerExtensions,
            [RtpHeaderExtensionParameters(uri: "urn:ietf:params:rtp-hdrext:sdes:mid", id: 1, encrypt: false, parameters: [:])])

        var explicit = RtpParameters(codecs: [], rtcp: RtcpParameters(cname: "c", reducedSize: false))
        try explicit.validate()
        XCTAssertEqual(explicit.rtcp?.reducedSize, false, "only an absent value is defaulted")
        XCTAssertEqual(explicit.encodings, [])
        XCTAssertEqual(explicit.headerExtensions, [])
    }

    func testMalformedCodecsAreRejectedWithMediasoupMessages() {
        func validate(_ codec: RtpCodecParameters) throws(OrtcError) {
            var parameters = RtpParameters(codecs: [codec])
            try parameters.validate()
        }
        XCTAssertThrowsOrtcError(
            try validate(RtpCodecParameters(mimeType: "", payloadType: 100, clockRate: 90000)),
            .invalid("missing codec.mimeType"))
        XCTAssertThrowsOrtcError(
            try validate(RtpCodecParameters(mimeType: "text/plain", payloadType: 100, clockRate: 90000)),
            .invalid("invalid codec.mimeType"))
        XCTAssertThrowsOrtcError(
            try validate(RtpCodecParameters(mimeType: "video/", payloadType: 100, clockRate: 90000)),
            .invalid("invalid codec.mimeType"))
        XCTAssertThrowsOrtcError(
            try validate(RtpCodecParameters(mimeType: "video/VP8", payloadType: 128, clockRate: 90000)),
            .invalid("invalid codec.payloadType [payloadType:128]"))
        XCTAssertThrowsOrtcError(
            try validate(RtpCodecParameters(mimeType: "video/VP8", payloadType: 100, clockRate: 0)),
            .invalid("invalid codec.clockRate [clockRate:0]"))
        XCTAssertThrowsOrtcError(
            try validate(
                RtpCodecParameters(mimeType: "video/rtx", payloadType: 101, clockRate: 90000, parameters: ["apt": "100"])),
            .invalid("invalid codec apt parameter"))
        XCTAssertThrowsOrtcError(
            try validate(
                RtpCodecParameters(
                    mimeType: "video/VP8", payloadType: 100, clockRate: 90000, rtcpFeedback: [RtcpFeedback(type: "")])),
            .invalid("missing fb.type"))
    }

    func testMalformedCapabilitiesAreRejected() {
        var outOfRange = RtpCapabilities(codecs: [
            RtpCodecCapability(kind: .video, mimeType: "video/VP8", preferredPayloadType: 200, clockRate: 90000)
        ])
        XCTAssertThrowsOrtcError(
            try outOfRange.validate(), .invalid("invalid codec.preferredPayloadType [preferredPayloadType:200]"))
        var badExtension = RtpCapabilities(headerExtensions: [RtpHeaderExtension(kind: .video, uri: "", preferredId: 1)])
        XCTAssertThrowsOrtcError(try badExtension.validate(), .invalid("missing ext.uri"))
        var badId = RtpCapabilities(headerExtensions: [RtpHeaderExtension(kind: .video, uri: "urn:x", preferredId: 0)])
        XCTAssertThrowsOrtcError(try badId.validate(), .invalid("invalid ext.preferredId [preferredId:0]"))
    }

    func testEncodingMustNameAMediaCodecOfTheParameters() {
        var parameters = RtpParameters(
            codecs: [
                RtpCodecParameters(mimeType: "video/VP8", payloadType: 96, clockRate: 90000),
                RtpCodecParameters(mimeType: "video/rtx", payloadType: 97, clockRate: 90000, parameters: ["apt": 96]),
            ],
            encodings: [RtpEncodingParameters(ssrc: 1, codecPayloadType: 97)])
        XCTAssertThrowsOrtcError(
            try parameters.validate(), .invalid("invalid encoding.codecPayloadType [codecPayloadType:97]"))
    }

    func testProducerWithSeveralEncodingsNeedsSsrcOrRidInEach() throws {
        var parameters = try OrtcTestFixtures.chromeVp8Producer()
        parameters.encodings = [RtpEncodingParameters(rid: "r0"), RtpEncodingParameters(maxBitrate: 1_000_000)]
        XCTAssertThrowsOrtcError(
            try parameters.validateForProducer(),
            .invalid("missing encoding.ssrc or encoding.rid: required in each of several encodings"))
    }

    func testBitratesBeyond32BitsAndThousandsOfEncodingsAreRefused() throws {
        var parameters = try OrtcTestFixtures.chromeVp8Producer()
        parameters.encodings = [RtpEncodingParameters(ssrc: 1, maxBitrate: Int.max), RtpEncodingParameters(ssrc: 2)]
        XCTAssertThrowsOrtcError(
            try parameters.validateForProducer(), .invalid("invalid encoding.maxBitrate [maxBitrate:\(Int.max)]"))
        parameters.encodings = (1...17).map { RtpEncodingParameters(ssrc: UInt32($0)) }
        XCTAssertThrowsOrtcError(try parameters.validateForProducer(), .invalid("too many params.encodings: 17, at most 16"))
        parameters.encodings = [RtpEncodingParameters(ssrc: 1, maxBitrate: Int(UInt32.max))]
        XCTAssertNoThrow(try parameters.validateForProducer())
    }

    func testProducerWithOneEncodingNeedsMidOrSsrc() throws {
        var parameters = try OrtcTestFixtures.chromeVp8Producer()
        parameters.mid = nil
        parameters.encodings = [RtpEncodingParameters(rid: "r0")]
        XCTAssertThrowsOrtcError(
            try parameters.validateForProducer(),
            .invalid("missing params.mid or encoding.ssrc: one of them is required with a single encoding"))
        parameters.encodings = [RtpEncodingParameters(ssrc: 5)]
        XCTAssertNoThrow(try parameters.validateForProducer())
    }

    func testProducerWithoutEncodingsNeedsMidAndGetsOneEmptyEncoding() throws {
        var parameters = try OrtcTestFixtures.chromeVp8Producer()
        parameters.encodings = nil
        try parameters.validateForProducer()
        XCTAssertEqual(parameters.encodings, [RtpEncodingParameters(dtx: false)])

        parameters.mid = nil
        parameters.encodings = []
        XCTAssertThrowsOrtcError(
            try parameters.validateForProducer(),
            .invalid("missing params.mid: required when params.encodings is empty"))
    }

    func testCnameMustFitAnSdesItem() throws {
        var parameters = try OrtcTestFixtures.chromeVp8Producer()
        parameters.rtcp = RtcpParameters(cname: String(repeating: "c", count: 256))
        XCTAssertThrowsOrtcError(
            try parameters.validateForProducer(), .invalid("invalid params.rtcp.cname (longer than 255 bytes)"))
        parameters.rtcp = RtcpParameters(cname: String(repeating: "c", count: 255))
        XCTAssertNoThrow(try parameters.validateForProducer())
    }

    func testProducerNeedsAMediaCodec() {
        var parameters = RtpParameters(
            mid: "0",
            codecs: [RtpCodecParameters(mimeType: "video/rtx", payloadType: 97, clockRate: 90000, parameters: ["apt": 96])])
        XCTAssertThrowsOrtcError(try parameters.validateForProducer(), .invalid("missing params.codecs: no media codec"))
    }

    func testSctpStreamParametersDefaultOrderedFromReliability() throws {
        var reliable = SctpStreamParameters(streamId: 1)
        try reliable.validate()
        XCTAssertEqual(reliable.ordered, true)

        var unordered = SctpStreamParameters(streamId: 2, maxRetransmits: 3)
        try unordered.validate()
        XCTAssertEqual(unordered.ordered, false)

        // As mediasoup: a limit of 0 does not make the channel unordered by default.
        var zeroLimit = SctpStreamParameters(streamId: 3, maxRetransmits: 0)
        try zeroLimit.validate()
        XCTAssertEqual(zeroLimit.ordered, true)
    }

    /// mediasoup-client's `produceData({maxRetransmits: 0})` sends `ordered: true` with the zero
    /// limit (it turns `ordered` off only for a truthy limit); mediasoup accepts it as sent.
    func testSctpStreamParametersAcceptOrderedWithZeroLimit() throws {
        var fromClient = SctpStreamParameters(streamId: 4, ordered: true, maxRetransmits: 0)
        try fromClient.validate()
        XCTAssertEqual(fromClient, SctpStreamParameters(streamId: 4, ordered: true, maxRetransmits: 0))

        var zeroBesideSet = SctpStreamParameters(streamId: 5, maxPacketLifeTime: 0, maxRetransmits: 2)
        try zeroBesideSet.validate()
        XCTAssertEqual(zeroBesideSet, SctpStreamParameters(streamId: 5, ordered: false, maxRetransmits: 2))
    }

    func testSctpStreamParametersRejectContradictions() {
        var both = SctpStreamParameters(streamId: 1, maxPacketLifeTime: 100, maxRetransmits: 3)
        XCTAssertThrowsOrtcError(try both.validate(), .invalid("cannot provide both maxPacketLifeTime and maxRetransmits"))
        var orderedAndLimited = SctpStreamParameters(streamId: 1, ordered: true, maxRetransmits: 3)
        XCTAssertThrowsOrtcError(
            try orderedAndLimited.validate(), .invalid("cannot be ordered with maxPacketLifeTime or maxRetransmits"))
        var reserved = SctpStreamParameters(streamId: 65535)
        XCTAssertThrowsOrtcError(try reserved.validate(), .invalid("invalid params.streamId [streamId:65535]"))
    }

    func testSctpParametersAndCapabilitiesCheckRanges() {
        XCTAssertNoThrow(try SctpCapabilities(numStreams: NumSctpStreams(OS: 1024, MIS: 1024)).validate())
        XCTAssertThrowsOrtcError(
            try SctpCapabilities(numStreams: NumSctpStreams(OS: 0, MIS: 1024)).validate(),
            .invalid("invalid numStreams.OS [OS:0]"))
        XCTAssertThrowsOrtcError(
            try SctpParameters(port: 5000, OS: 1024, MIS: 70000, maxMessageSize: 262_144).validate(),
            .invalid("invalid numStreams.MIS [MIS:70000]"))
        XCTAssertThrowsOrtcError(
            try SctpParameters(port: 5000, OS: 1024, MIS: 1024, maxMessageSize: 0).validate(),
            .invalid("invalid params.maxMessageSize [maxMessageSize:0]"))
    }

    func testErrorsExposeMessageAndClass() {
        let unsupported = OrtcError.unsupported("no compatible media codecs")
        XCTAssertTrue(unsupported.isUnsupported)
        XCTAssertEqual(unsupported.message, "no compatible media codecs")
        XCTAssertEqual(String(describing: unsupported), "no compatible media codecs")
        XCTAssertFalse(OrtcError.invalid("invalid codec.mimeType").isUnsupported)
    }
}
