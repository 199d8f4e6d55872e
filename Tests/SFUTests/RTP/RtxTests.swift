import NIOCore
import XCTest

@testable import SFU

final class RtxTests: XCTestCase {
    private func mediaPacket() throws -> RtpPacket {
        var rtp = RtpPacket(
            payloadType: 101, sequenceNumber: 1000, timestamp: 90_000, ssrc: 0x1111_1111, marker: true,
            payloadBytes: [0x10, 0x20, 0x30, 0x40, 0x50])
        try rtp.setMid("0", extensionId: 1)
        return rtp
    }

    func testEncapsulatePrependsTheOriginalSequenceNumber() throws {
        var rtp = try mediaPacket()
        rtp.rtxEncapsulate(payloadType: 102, ssrc: 0x2222_2222, sequenceNumber: 7)
        XCTAssertEqual(rtp.payloadType, 102)
        XCTAssertEqual(rtp.ssrc, 0x2222_2222)
        XCTAssertEqual(rtp.sequenceNumber, 7)
        XCTAssertEqual(rtp.timestamp, 90_000)
        XCTAssertTrue(rtp.marker)
        XCTAssertEqual(rtp.rtxOriginalSequenceNumber, 1000)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0x03, 0xE8, 0x10, 0x20, 0x30, 0x40, 0x50])
        XCTAssertEqual(rtp.mid(extensionId: 1), "0")

        let reparsed = try RtpPacket(buffer: rtp.buffer)
        XCTAssertEqual(reparsed, rtp)
    }

    func testEncapsulateThenDecapsulateRestoresTheOriginal() throws {
        let original = try mediaPacket()
        var rtx = original.rtxEncapsulated(payloadType: 102, ssrc: 0x2222_2222, sequenceNumber: 65535)
        XCTAssertEqual(original.sequenceNumber, 1000, "encapsulating a copy leaves the original alone")
        XCTAssertEqual(original.payloadLength, 5)

        let received = try RtpPacket(buffer: rtx.buffer)
        rtx = received
        try rtx.rtxDecapsulate(payloadType: 101, ssrc: 0x1111_1111)
        XCTAssertEqual(rtx, original)
        XCTAssertEqual(RtpTestBytes.bytes(rtx.buffer), RtpTestBytes.bytes(original.buffer))
    }

    func testEncapsulationDropsPadding() throws {
        var rtp = RtpPacket(
            payloadType: 101, sequenceNumber: 5, timestamp: 1, ssrc: 1, payloadBytes: [0xAA], paddingLength: 3)
        rtp.rtxEncapsulate(payloadType: 102, ssrc: 2, sequenceNumber: 9)
        XCTAssertFalse(rtp.hasPadding)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0x00, 0x05, 0xAA])
        XCTAssertEqual(try RtpPacket(buffer: rtp.buffer), rtp)
    }

    func testDecapsulationDropsPadding() throws {
        var rtp = try RtpPacket(
            buffer: RtpTestBytes.buffer([
                0xA0, 102, 0, 9, 0, 0, 0, 1, 0, 0, 0, 2,
                0x00, 0x05, 0xAA,
                0x00, 0x02,
            ]))
        try rtp.rtxDecapsulate(payloadType: 101, ssrc: 1)
        XCTAssertEqual(rtp.sequenceNumber, 5)
        XCTAssertFalse(rtp.hasPadding)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0xAA])
    }

    func testDecapsulateRejectsPayloadWithoutOriginalSequenceNumber() throws {
        var rtp = RtpPacket(payloadType: 102, sequenceNumber: 1, timestamp: 1, ssrc: 1, payloadBytes: [0x01])
        XCTAssertNil(rtp.rtxOriginalSequenceNumber)
        XCTAssertThrowsError(try rtp.rtxDecapsulate(payloadType: 101, ssrc: 2)) { error in
            XCTAssertEqual(error as? RtpPacketError, .payloadTooShortForRtx(length: 1))
        }
        XCTAssertEqual(rtp.ssrc, 1)
    }

    func testEmptyPayloadRtxCarriesOnlyTheOriginalSequenceNumber() throws {
        var rtp = RtpPacket(payloadType: 101, sequenceNumber: 0x0102, timestamp: 1, ssrc: 1, payloadBytes: [])
        rtp.rtxEncapsulate(payloadType: 102, ssrc: 2, sequenceNumber: 3)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0x01, 0x02])
        try rtp.rtxDecapsulate(payloadType: 101, ssrc: 1)
        XCTAssertEqual(rtp.payloadLength, 0)
        XCTAssertEqual(rtp.sequenceNumber, 0x0102)
    }
}
