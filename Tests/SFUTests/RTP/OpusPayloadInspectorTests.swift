import NIOCore
import XCTest

@testable import SFU

final class OpusPayloadInspectorTests: XCTestCase {
    func testParsesTocByte() throws {
        let celt = try XCTUnwrap(OpusPayloadInspector.toc(payload: RtpTestBytes.buffer([0xFC, 0x01, 0x02])))
        XCTAssertEqual(celt.config, 31)
        XCTAssertTrue(celt.isStereo)
        XCTAssertEqual(celt.frameCountCode, 0)
        XCTAssertEqual(celt.mode, .celt)
        XCTAssertEqual(celt.bandwidth, .fullband)
        XCTAssertEqual(celt.frameDurationMicroseconds, 20_000)
        XCTAssertEqual(celt.byte, 0xFC)

        let hybrid = OpusToc(byte: 0x78)
        XCTAssertEqual(hybrid.config, 15)
        XCTAssertFalse(hybrid.isStereo)
        XCTAssertEqual(hybrid.mode, .hybrid)
        XCTAssertEqual(hybrid.bandwidth, .fullband)
        XCTAssertEqual(hybrid.frameDurationMicroseconds, 20_000)

        let silk = OpusToc(byte: 0x1B)
        XCTAssertEqual(silk.config, 3)
        XCTAssertEqual(silk.mode, .silk)
        XCTAssertEqual(silk.bandwidth, .narrowband)
        XCTAssertEqual(silk.frameDurationMicroseconds, 60_000)
        XCTAssertEqual(silk.frameCountCode, 3)

        XCTAssertEqual(OpusToc(byte: 16 << 3).frameDurationMicroseconds, 2_500)
        XCTAssertNil(OpusPayloadInspector.toc(payload: RtpTestBytes.buffer([])))
    }

    func testFrameCountPerCode() {
        XCTAssertEqual(OpusPayloadInspector.frameCount(payload: RtpTestBytes.buffer([0xF8, 0x00, 0x00])), 1)
        XCTAssertEqual(OpusPayloadInspector.frameCount(payload: RtpTestBytes.buffer([0xF9, 0x00, 0x00])), 2)
        XCTAssertEqual(OpusPayloadInspector.frameCount(payload: RtpTestBytes.buffer([0xFA, 0x00, 0x00])), 2)
        XCTAssertEqual(OpusPayloadInspector.frameCount(payload: RtpTestBytes.buffer([0xFB, 0x83, 0x00])), 3)
        XCTAssertNil(OpusPayloadInspector.frameCount(payload: RtpTestBytes.buffer([0xFB])), "code 3 without count byte")
        XCTAssertNil(OpusPayloadInspector.frameCount(payload: RtpTestBytes.buffer([0xFB, 0x00])), "M = 0")
    }

    func testPayloadsOfAtMostTwoBytesAreDtx() {
        XCTAssertTrue(OpusPayloadInspector.isDtx(payload: RtpTestBytes.buffer([0xF8])))
        XCTAssertTrue(OpusPayloadInspector.isDtx(payload: RtpTestBytes.buffer([0xF8, 0xFF])))
        XCTAssertFalse(OpusPayloadInspector.isDtx(payload: RtpTestBytes.buffer([0xF8, 0xFF, 0xFE])))

        let dtx = CodecPayloadInspector.describe(payload: RtpTestBytes.buffer([0xF8]), mimeType: "audio/opus")
        XCTAssertEqual(dtx?.isDtx, true)
        XCTAssertEqual(dtx?.isKeyFrame, false)
        let speech = CodecPayloadInspector.describe(payload: RtpTestBytes.buffer([0xF8, 1, 2, 3]), codec: .opus)
        XCTAssertEqual(speech?.isDtx, false)
    }
}
