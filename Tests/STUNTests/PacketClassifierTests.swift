import NIOCore
import XCTest

@testable import STUN

final class PacketClassifierTests: XCTestCase {
    private func classify(_ bytes: some Sequence<UInt8>) -> PacketClassifier.Kind {
        PacketClassifier.classify(ByteBuffer(bytes: bytes))
    }

    func testSTUNNeedsTheMagicCookieAndAFullHeader() {
        XCTAssertEqual(classify(RFC5769.sampleRequest), .stun)
        XCTAssertEqual(classify(RFC5769.sampleRequest.prefix(20)), .stun)
        XCTAssertEqual(classify(RFC5769.sampleRequest.prefix(19)), .unknown)
        var rfc3489 = RFC5769.sampleRequest
        rfc3489[4] = 0
        XCTAssertEqual(classify(rfc3489), .unknown)
    }

    func testChannelDataCoversFirstBytes64To127() {
        XCTAssertEqual(classify([0x40, 0x00, 0x00, 0x00]), .channelData)
        XCTAssertEqual(classify([0x7F, 0xFF, 0x00, 0x01, 0xAA]), .channelData)
        XCTAssertEqual(classify([0x40, 0x00, 0x00]), .unknown)
    }

    func testDTLSCoversFirstBytes20To63() {
        XCTAssertEqual(classify([22, 0xFE, 0xFD]), .dtls)  // handshake record
        XCTAssertEqual(classify([20]), .dtls)
        XCTAssertEqual(classify([63]), .dtls)
    }

    func testRTPAndRTCPAreSplitBySecondByte() {
        XCTAssertEqual(classify([0x80, 0x60, 0x00, 0x01]), .rtp)  // PT 96
        XCTAssertEqual(classify([0x80, 0xE0, 0x00, 0x01]), .rtp)  // PT 96 + marker
        XCTAssertEqual(classify([0x80, 200, 0x00, 0x06]), .rtcp)  // sender report
        XCTAssertEqual(classify([0x81, 205, 0x00, 0x04]), .rtcp)  // transport feedback
        XCTAssertEqual(classify([0xBF, 0x00]), .rtp)
        XCTAssertEqual(classify([0x80]), .unknown)
    }

    func testEverythingElseIsUnknown() {
        XCTAssertEqual(classify([UInt8]()), .unknown)
        XCTAssertEqual(classify([16, 0, 0, 0]), .unknown)  // ZRTP
        XCTAssertEqual(classify([192, 0, 0, 0]), .unknown)
        XCTAssertEqual(classify([255]), .unknown)
    }
}
