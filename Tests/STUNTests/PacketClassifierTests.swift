import NIOCore
import XCTest

@testable import STUN

final class PacketClassifierTests: XCTestCase {
    func testSTUNNeedsTheMagicCookieAndAFullHeader() {
        XCTAssertEqual(PacketClassifier.classify(ByteBuffer(bytes: RFC5769.sampleRequest)), .stun)
        XCTAssertEqual(PacketClassifier.classify(RFC5769.sampleRequest.prefix(20)), .stun)
        XCTAssertEqual(PacketClassifier.classify(RFC5769.sampleRequest.prefix(19)), .unknown)
        var rfc3489 = RFC5769.sampleRequest
        rfc3489[4] = 0
        XCTAssertEqual(PacketClassifier.classify(rfc3489), .unknown)
    }

    func testChannelDataCoversFirstBytes64To127() {
        XCTAssertEqual(PacketClassifier.classify([0x40, 0x00, 0x00, 0x00]), .channelData)
        XCTAssertEqual(PacketClassifier.classify([0x7F, 0xFF, 0x00, 0x01, 0xAA]), .channelData)
        XCTAssertEqual(PacketClassifier.classify([0x40, 0x00, 0x00]), .unknown)
    }

    func testDTLSCoversFirstBytes20To63() {
        XCTAssertEqual(PacketClassifier.classify([22, 0xFE, 0xFD]), .dtls)  // handshake record
        XCTAssertEqual(PacketClassifier.classify([20]), .dtls)
        XCTAssertEqual(PacketClassifier.classify([63]), .dtls)
    }

    func testRTPAndRTCPAreSplitBySecondByte() {
        XCTAssertEqual(PacketClassifier.classify([0x80, 0x60, 0x00, 0x01]), .rtp)  // PT 96
        XCTAssertEqual(PacketClassifier.classify([0x80, 0xE0, 0x00, 0x01]), .rtp)  // PT 96 + marker
        XCTAssertEqual(PacketClassifier.classify([0x80, 200, 0x00, 0x06]), .rtcp)  // sender report
        XCTAssertEqual(PacketClassifier.classify([0x81, 205, 0x00, 0x04]), .rtcp)  // transport feedback
        XCTAssertEqual(PacketClassifier.classify([0xBF, 0x00]), .rtp)
        XCTAssertEqual(PacketClassifier.classify([0x80]), .unknown)
    }

    func testEverythingElseIsUnknown() {
        XCTAssertEqual(PacketClassifier.classify([UInt8]()), .unknown)
        XCTAssertEqual(PacketClassifier.classify([16, 0, 0, 0]), .unknown)  // ZRTP
        XCTAssertEqual(PacketClassifier.classify([192, 0, 0, 0]), .unknown)
        XCTAssertEqual(PacketClassifier.classify([255]), .unknown)
    }
}
