import Foundation
import XCTest

@testable import SFU

/// Inputs shared by the ORTC tests: mediasoup-demo's router media codecs, and what
/// mediasoup-client in Chrome sends for them.
enum OrtcTestFixtures {
    static let videoFeedback: [RtcpFeedback] = [.nack, .nackPli, .ccmFir, .googRemb, .transportCc]

    /// mediasoup-demo `config.example.js` `mediaCodecs` (mediasoup-compat §4.5).
    static let demoMediaCodecs = RtpCodecCapability.mediasoupDemoCodecs

    static func demoRouterCapabilities() throws(OrtcError) -> RtpCapabilities {
        try Ortc.generateRouterRtpCapabilities(mediaCodecs: demoMediaCodecs)
    }

    /// `device.rtpCapabilities` of mediasoup-client in Chrome after loading the demo router's
    /// capabilities, as sent in the protoo `join` request.
    static let chromeDeviceCapabilitiesJson = """
        {
          "codecs": [
            {"mimeType": "audio/opus", "kind": "audio", "preferredPayloadType": 100, "clockRate": 48000,
             "channels": 2, "parameters": {"minptime": 10, "useinbandfec": 1},
             "rtcpFeedback": [{"type": "nack", "parameter": ""}, {"type": "transport-cc", "parameter": ""}]},
            {"mimeType": "video/VP8", "kind": "video", "preferredPayloadType": 101, "clockRate": 90000,
             "parameters": {},
             "rtcpFeedback": [{"type": "goog-remb", "parameter": ""}, {"type": "transport-cc", "parameter": ""},
                              {"type": "ccm", "parameter": "fir"}, {"type": "nack", "parameter": ""},
                              {"type": "nack", "parameter": "pli"}]},
            {"mimeType": "video/rtx", "kind": "video", "preferredPayloadType": 102, "clockRate": 90000,
             "parameters": {"apt": 101}, "rtcpFeedback": []},
            {"mimeType": "video/H264", "kind": "video", "preferredPayloadType": 107, "clockRate": 90000,
             "parameters": {"level-asymmetry-allowed": 1, "packetization-mode": 1, "profile-level-id": "42e01f"},
             "rtcpFeedback": [{"type": "goog-remb", "parameter": ""}, {"type": "transport-cc", "parameter": ""},
                              {"type": "ccm", "parameter": "fir"}, {"type": "nack", "parameter": ""},
                              {"type": "nack", "parameter": "pli"}]},
            {"mimeType": "video/rtx", "kind": "video", "preferredPayloadType": 108, "clockRate": 90000,
             "parameters": {"apt": 107}, "rtcpFeedback": []}
          ],
          "headerExtensions": [
            {"kind": "audio", "uri": "urn:ietf:params:rtp-hdrext:sdes:mid", "preferredId": 1,
             "preferredEncrypt": false, "direction": "sendrecv"},
            {"kind": "video", "uri": "urn:ietf:params:rtp-hdrext:sdes:mid", "preferredId": 1,
             "preferredEncrypt": false, "direction": "sendrecv"},
            {"kind": "audio", "uri": "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "preferredId": 4,
             "preferredEncrypt": false, "direction": "sendrecv"},
            {"kind": "video", "uri": "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "preferredId": 4,
             "preferredEncrypt": false, "direction": "sendrecv"},
            {"kind": "video", "uri": "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
             "preferredId": 5, "preferredEncrypt": false, "direction": "sendrecv"},
            {"kind": "audio", "uri": "urn:ietf:params:rtp-hdrext:ssrc-audio-level", "preferredId": 10,
             "preferredEncrypt": false, "direction": "sendrecv"},
            {"kind": "video", "uri": "urn:3gpp:video-orientation", "preferredId": 11,
             "preferredEncrypt": false, "direction": "sendrecv"},
            {"kind": "video", "uri": "urn:ietf:params:rtp-hdrext:toffset", "preferredId": 12,
             "preferredEncrypt": false, "direction": "sendrecv"},
            {"kind": "video", "uri": "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", "preferredId": 14,
             "preferredEncrypt": false, "direction": "sendrecv"}
          ]
        }
        """

    /// A webcam producer's `rtpParameters` as mediasoup-client in Chrome sends them in
    /// `produce`: Chrome's own payload types and extension ids, one encoding with SSRC and RTX.
    static let chromeVp8ProducerJson = """
        {
          "mid": "1",
          "codecs": [
            {"mimeType": "video/VP8", "payloadType": 96, "clockRate": 90000, "parameters": {},
             "rtcpFeedback": [{"type": "goog-remb", "parameter": ""}, {"type": "transport-cc", "parameter": ""},
                              {"type": "ccm", "parameter": "fir"}, {"type": "nack", "parameter": ""},
                              {"type": "nack", "parameter": "pli"}]},
            {"mimeType": "video/rtx", "payloadType": 97, "clockRate": 90000, "parameters": {"apt": 96},
             "rtcpFeedback": []}
          ],
          "headerExtensions": [
            {"uri": "urn:ietf:params:rtp-hdrext:sdes:mid", "id": 4, "encrypt": false, "parameters": {}},
            {"uri": "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "id": 2, "encrypt": false,
             "parameters": {}},
            {"uri": "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "id": 3,
             "encrypt": false, "parameters": {}},
            {"uri": "urn:3gpp:video-orientation", "id": 13, "encrypt": false, "parameters": {}},
            {"uri": "urn:ietf:params:rtp-hdrext:toffset", "id": 14, "encrypt": false, "parameters": {}}
          ],
          "encodings": [
            {"ssrc": 2793465201, "rtx": {"ssrc": 1524416224}, "dtx": false, "scalabilityMode": "L1T3",
             "maxBitrate": 5000000}
          ],
          "rtcp": {"cname": "Kz2q4EJnGDCqhxQu", "reducedSize": true}
        }
        """

    static func decode<Value: Decodable>(_ type: Value.Type, from json: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    /// The value encoded and parsed back as a generic JSON object, for order-insensitive
    /// comparison with a literal.
    static func jsonObject(of value: some Encodable) throws -> NSObject {
        try jsonObject(Data(JSONEncoder().encode(value)))
    }

    static func jsonObject(_ json: String) throws -> NSObject {
        try jsonObject(Data(json.utf8))
    }

    private static func jsonObject(_ data: Data) throws -> NSObject {
        try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? NSObject)
    }

    /// A producer ready for mapping: decoded, validated as `produce()` does.
    static func chromeVp8Producer() throws -> RtpParameters {
        var parameters = try decode(RtpParameters.self, from: chromeVp8ProducerJson)
        try parameters.validateForProducer()
        return parameters
    }

    static func chromeDeviceCapabilities() throws -> RtpCapabilities {
        try decode(RtpCapabilities.self, from: chromeDeviceCapabilitiesJson)
    }
}

/// Asserts that `body` throws exactly `expected`.
func XCTAssertThrowsOrtcError<Value>(
    _ body: @autoclosure () throws(OrtcError) -> Value, _ expected: OrtcError,
    file: StaticString = #filePath, line: UInt = #line
) {
    do {
        _ = try body()
        XCTFail("expected \(expected.isUnsupported ? "unsupported" : "invalid") error \"\(expected)\"", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, file: file, line: line)
    }
}

extension OrtcTestFixtures {
    /// A VP8 producer with three simulcast encodings, low to high resolution, as the demo's
    /// webcam sends it: identified by `rid`s `r0`–`r2`, each `L1T3`, 500 kbit/s to 5 Mbit/s.
    static func vp8SimulcastProducer() -> RtpParameters {
        RtpParameters(
            mid: "2",
            codecs: [
                RtpCodecParameters(mimeType: "video/VP8", payloadType: 96, clockRate: 90000, rtcpFeedback: videoFeedback),
                RtpCodecParameters(mimeType: "video/rtx", payloadType: 97, clockRate: 90000, parameters: ["apt": 96]),
            ],
            headerExtensions: [
                RtpHeaderExtensionParameters(uri: RtpHeaderExtensionUri.mid.rawValue, id: 4),
                RtpHeaderExtensionParameters(uri: RtpHeaderExtensionUri.rtpStreamId.rawValue, id: 10),
                RtpHeaderExtensionParameters(uri: RtpHeaderExtensionUri.repairedRtpStreamId.rawValue, id: 11),
            ],
            encodings: [
                RtpEncodingParameters(rid: "r0", scalabilityMode: "L1T3", scaleResolutionDownBy: 4, maxBitrate: 500_000),
                RtpEncodingParameters(rid: "r1", scalabilityMode: "L1T3", scaleResolutionDownBy: 2, maxBitrate: 1_000_000),
                RtpEncodingParameters(rid: "r2", scalabilityMode: "L1T3", scaleResolutionDownBy: 1, maxBitrate: 5_000_000),
            ],
            rtcp: RtcpParameters(cname: "simulcast-cname"))
    }

    /// Runs a producer through `produce()`'s ORTC steps against the demo router: validation,
    /// mapping and consumable parameters.
    static func consumable(
        kind: MediaKind, producer: RtpParameters, seed: UInt64 = 1
    ) throws -> (parameters: RtpParameters, mapping: RtpParametersMapping) {
        var producer = producer
        try producer.validateForProducer()
        let routerCapabilities = try demoRouterCapabilities()
        var generator = SplitMix64(seed: seed)
        let mapping = try Ortc.producerRtpParametersMapping(
            rtpParameters: &producer, routerCapabilities: routerCapabilities, using: &generator)
        let consumable = Ortc.consumableRtpParameters(
            kind: kind, rtpParameters: producer, routerCapabilities: routerCapabilities, mapping: mapping)
        return (consumable, mapping)
    }
}
