import Foundation
import XCTest

@testable import SFU

final class OrtcJsonTests: XCTestCase {
    func testChromeDeviceCapabilitiesRoundTripUnchanged() throws {
        let json = OrtcTestFixtures.chromeDeviceCapabilitiesJson
        let capabilities = try OrtcTestFixtures.decode(RtpCapabilities.self, from: json)
        XCTAssertEqual(capabilities.codecs?.count, 5)
        XCTAssertEqual(capabilities.codecs?[0].parameters["minptime"], 10)
        XCTAssertEqual(try OrtcTestFixtures.jsonObject(of: capabilities), try OrtcTestFixtures.jsonObject(json))
    }

    func testChromeProducerParametersRoundTripUnchanged() throws {
        let json = OrtcTestFixtures.chromeVp8ProducerJson
        let parameters = try OrtcTestFixtures.decode(RtpParameters.self, from: json)
        XCTAssertEqual(parameters.encodings?.first?.ssrc, 2_793_465_201)
        XCTAssertEqual(parameters.encodings?.first?.rtx?.ssrc, 1_524_416_224)
        XCTAssertEqual(parameters.codecs[1].associatedPayloadType, 96)
        XCTAssertEqual(try OrtcTestFixtures.jsonObject(of: parameters), try OrtcTestFixtures.jsonObject(json))
    }

    func testAbsentOptionalsAreOmittedNotNull() throws {
        let codec = RtpCodecCapability(kind: .video, mimeType: "video/VP8", clockRate: 90000)
        let encoded = String(decoding: try JSONEncoder().encode(codec), as: UTF8.self)
        XCTAssertFalse(encoded.contains("null"))
        XCTAssertFalse(encoded.contains("channels"))
        XCTAssertFalse(encoded.contains("preferredPayloadType"))

        let encoding = RtpEncodingParameters(ssrc: 1234)
        XCTAssertEqual(String(decoding: try JSONEncoder().encode(encoding), as: UTF8.self), #"{"ssrc":1234}"#)
    }

    func testDecodingIsLenientLikeMediasoupClient() throws {
        let capabilities = try OrtcTestFixtures.decode(
            RtpCapabilities.self,
            from: """
                {"codecs": [{"mimeType": "video/H264", "clockRate": 90000, "unknownField": true,
                             "parameters": {"packetization-mode": "1", "profile-level-id": "42e01f"},
                             "rtcpFeedback": null}],
                 "somethingNew": {}}
                """)
        let codec = try XCTUnwrap(capabilities.codecs?.first)
        XCTAssertEqual(codec.kind, .video)
        XCTAssertEqual(codec.parameters["packetization-mode"], "1")
        XCTAssertEqual(codec.rtcpFeedback, [])
        XCTAssertNil(capabilities.headerExtensions)

        let rtcp = try OrtcTestFixtures.decode(RtcpParameters.self, from: #"{"cname": "x", "mux": true}"#)
        XCTAssertEqual(rtcp, RtcpParameters(cname: "x"))
    }

    func testCodecWithoutKindOrRecognisableMimeTypeFailsToDecode() {
        XCTAssertThrowsError(
            try OrtcTestFixtures.decode(RtpCodecCapability.self, from: #"{"mimeType": "opus", "clockRate": 48000}"#))
    }

    func testSctpShapesUseMediasoupFieldNames() throws {
        let json = #"{"port": 5000, "OS": 1024, "MIS": 1024, "maxMessageSize": 262144}"#
        let parameters = try OrtcTestFixtures.decode(SctpParameters.self, from: json)
        XCTAssertEqual(parameters, SctpParameters(port: 5000, OS: 1024, MIS: 1024, maxMessageSize: 262_144))
        XCTAssertEqual(try OrtcTestFixtures.jsonObject(of: parameters), try OrtcTestFixtures.jsonObject(json))

        let capabilities = try OrtcTestFixtures.decode(
            SctpCapabilities.self, from: #"{"numStreams": {"OS": 1024, "MIS": 1024}}"#)
        XCTAssertEqual(capabilities.numStreams, NumSctpStreams(OS: 1024, MIS: 1024))
    }
}
