import NIOCore
import XCTest

@testable import SFU

final class H264PayloadInspectorTests: XCTestCase {
    private func isKeyFrame(_ bytes: [UInt8]) -> Bool? {
        H264PayloadInspector.describe(payload: RtpTestBytes.buffer(bytes))?.isKeyFrame
    }

    func testSingleNalUnits() {
        XCTAssertEqual(isKeyFrame([0x65, 0x88, 0x84, 0x00]), true, "IDR slice")
        XCTAssertEqual(isKeyFrame([0x67, 0x42, 0xC0, 0x1F]), true, "SPS")
        XCTAssertEqual(isKeyFrame([0x68, 0xCE, 0x3C, 0x80]), false, "PPS alone")
        XCTAssertEqual(isKeyFrame([0x41, 0x9A, 0x00]), false, "non-IDR slice")
        XCTAssertEqual(isKeyFrame([0x06, 0x05]), false, "SEI")
    }

    func testStapAWithSpsPpsAndIdrIsAKeyFrame() {
        let stapA: [UInt8] = [
            0x78,
            0x00, 0x04, 0x67, 0x42, 0xC0, 0x1F,
            0x00, 0x02, 0x68, 0xCE,
            0x00, 0x03, 0x65, 0x88, 0x84,
        ]
        XCTAssertEqual(isKeyFrame(stapA), true)
        XCTAssertTrue(CodecPayloadInspector.isKeyFrame(payload: RtpTestBytes.buffer(stapA), mimeType: "video/H264"))
    }

    func testStapAWithoutKeyUnitsIsNotAKeyFrame() {
        XCTAssertEqual(isKeyFrame([0x78, 0x00, 0x02, 0x41, 0x9A, 0x00, 0x01, 0x06]), false)
    }

    func testFuAOnlyTheStartFragmentOfAnIdrCounts() {
        XCTAssertEqual(isKeyFrame([0x7C, 0x85, 0xB8, 0x00]), true, "start of IDR")
        XCTAssertEqual(isKeyFrame([0x7C, 0x05, 0xB8, 0x00]), false, "middle of IDR")
        XCTAssertEqual(isKeyFrame([0x7C, 0x45, 0xB8, 0x00]), false, "end of IDR")
        XCTAssertEqual(isKeyFrame([0x7C, 0x81, 0xB8, 0x00]), false, "start of non-IDR slice")
    }

    func testMalformedPayloadsAreRejected() {
        XCTAssertNil(isKeyFrame([]))
        XCTAssertNil(isKeyFrame([0x78, 0x00, 0x09, 0x67]), "STAP-A unit overruns the payload")
        XCTAssertNil(isKeyFrame([0x78, 0x00, 0x00]), "STAP-A unit of size 0")
        XCTAssertNil(isKeyFrame([0x78]), "STAP-A without units")
        XCTAssertNil(isKeyFrame([0x7C]), "FU-A without FU header")
        XCTAssertNil(isKeyFrame([0x00, 0x01]), "reserved NAL type 0")
        XCTAssertEqual(isKeyFrame([0x79, 0x00]), false, "STAP-B is not inspected")
    }
}
