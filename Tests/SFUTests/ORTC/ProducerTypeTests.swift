import XCTest

@testable import SFU

final class ProducerTypeTests: XCTestCase {
    private func producer(_ mimeType: String, modes: [String?]) -> RtpParameters {
        RtpParameters(
            codecs: [
                RtpCodecParameters(mimeType: "video/rtx", payloadType: 97, clockRate: 90000, parameters: ["apt": 96]),
                RtpCodecParameters(mimeType: mimeType, payloadType: 96, clockRate: 90000),
            ],
            encodings: modes.enumerated().map { RtpEncodingParameters(ssrc: UInt32(1000 + $0.offset), scalabilityMode: $0.element) })
    }

    func testSeveralEncodingsAreSimulcast() {
        XCTAssertEqual(ProducerType(rtpParameters: producer("video/VP8", modes: [nil, nil, nil])), .simulcast)
        XCTAssertEqual(ProducerType(rtpParameters: producer("video/VP9", modes: ["L1T3", "L1T3"])), .simulcast)
    }

    func testOneLayeredEncodingIsSvcForSvcCodecsAndSimulcastForOthers() {
        XCTAssertEqual(ProducerType(rtpParameters: producer("video/VP9", modes: ["L3T3_KEY"])), .svc)
        XCTAssertEqual(ProducerType(rtpParameters: producer("video/H264-SVC", modes: ["L2T2"])), .svc)
        XCTAssertEqual(ProducerType(rtpParameters: producer("video/VP8", modes: ["L1T3"])), .simulcast)
        XCTAssertEqual(ProducerType(rtpParameters: producer("video/H264", modes: ["L1T2"])), .simulcast)
        XCTAssertEqual(ProducerType(rtpParameters: producer("video/H265", modes: ["L1T3"])), .simple)
    }

    func testOneEncodingWithoutLayersIsSimple() {
        XCTAssertEqual(ProducerType(rtpParameters: producer("video/VP9", modes: [nil])), .simple)
        XCTAssertEqual(ProducerType(rtpParameters: producer("video/VP8", modes: ["L1T1"])), .simple)
    }

    func testEncodingCodecPayloadTypeSelectsTheCodec() {
        var parameters = producer("video/VP8", modes: ["L3T3"])
        parameters.codecs.append(RtpCodecParameters(mimeType: "video/VP9", payloadType: 98, clockRate: 90000))
        parameters.encodings?[0].codecPayloadType = 98
        XCTAssertEqual(ProducerType(rtpParameters: parameters), .svc)
    }
}
