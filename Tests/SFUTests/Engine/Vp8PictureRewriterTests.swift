import NIOCore
import XCTest
@testable import SFU

/// VP8 picture numbering a consumer stream sends: unchanged until its source changes, then
/// continued from the last picture sent; retransmissions as they were first sent.
final class Vp8PictureRewriterTests: XCTestCase {
    private var rewriter = Vp8PictureRewriter()

    /// A one-packet VP8 frame with a 15-bit PictureID (or 7-bit) and a TL0PICIDX.
    private func packet(sequenceNumber: UInt16, pictureId: UInt16, tl0: UInt8, longPictureId: Bool = true) -> RtpPacket {
        let pictureIdBytes: [UInt8] = longPictureId ? [0x80 | UInt8(pictureId >> 8), UInt8(pictureId & 0xFF)] : [UInt8(pictureId & 0x7F)]
        let payload: [UInt8] = [0x90, 0xC0] + pictureIdBytes + [tl0, 0x11, 0x02, 0x00, 0xAA, 0xBB]
        return RtpPacket(payloadType: 96, sequenceNumber: sequenceNumber, timestamp: 0, ssrc: 1, marker: true, payloadBytes: payload)
    }

    private func numbers(_ packet: RtpPacket) -> [UInt16] {
        let descriptor = Vp8PayloadDescriptor(payload: packet.payload)
        return [descriptor?.pictureId ?? 0xFFFF, UInt16(descriptor?.tl0PictureIndex ?? 0)]
    }

    private func send(_ sequenceNumber: UInt16, pictureId: UInt16, tl0: UInt8, startsSegment: Bool = false,
                               longPictureId: Bool = true) -> [UInt16] {
        var sent = packet(sequenceNumber: sequenceNumber, pictureId: pictureId, tl0: tl0, longPictureId: longPictureId)
        rewriter.rewrite(&sent, descriptor: Vp8PayloadDescriptor(payload: sent.payload)!, startsSegment: startsSegment)
        return numbers(sent)
    }

    func testTheFirstSourceKeepsItsNumbers() {
        XCTAssertEqual(send(100, pictureId: 5000, tl0: 7, startsSegment: true), [5000, 7])
        XCTAssertEqual(send(101, pictureId: 5001, tl0: 7), [5001, 7])
        XCTAssertEqual(send(102, pictureId: 5002, tl0: 8), [5002, 8])
    }

    func testANewSegmentContinuesFromTheLastPictureSent() {
        _ = send(100, pictureId: 5000, tl0: 7, startsSegment: true)
        _ = send(101, pictureId: 5001, tl0: 8)
        // Another encoding, numbered far behind: its key frame becomes picture 5002, TL0 9.
        XCTAssertEqual(send(102, pictureId: 20, tl0: 200, startsSegment: true), [5002, 9])
        XCTAssertEqual(send(103, pictureId: 21, tl0: 200), [5003, 9])
        XCTAssertEqual(send(104, pictureId: 22, tl0: 201), [5004, 10])
        // Wrapping around the 15-bit and 8-bit ranges.
        XCTAssertEqual(send(105, pictureId: 0x7FFF, tl0: 255, startsSegment: true), [5005, 11])
        XCTAssertEqual(send(106, pictureId: 0, tl0: 0), [5006, 12])
    }

    func testSevenBitPictureIdsWrapAt128() {
        _ = send(1, pictureId: 126, tl0: 0, startsSegment: true, longPictureId: false)
        XCTAssertEqual(send(2, pictureId: 127, tl0: 0, longPictureId: false), [127, 0])
        XCTAssertEqual(send(3, pictureId: 40, tl0: 9, startsSegment: true, longPictureId: false), [0, 1])
    }

    func testRetransmissionsKeepTheNumbersOfTheirSegment() {
        _ = send(100, pictureId: 5000, tl0: 7, startsSegment: true)
        _ = send(101, pictureId: 5001, tl0: 7)
        _ = send(102, pictureId: 20, tl0: 200, startsSegment: true)
        _ = send(103, pictureId: 21, tl0: 200)

        var old = packet(sequenceNumber: 101, pictureId: 5001, tl0: 7)
        rewriter.restore(&old)
        XCTAssertEqual(numbers(old), [5001, 7], "a packet of the first segment took the second one's numbers")
        var recent = packet(sequenceNumber: 103, pictureId: 21, tl0: 200)
        rewriter.restore(&recent)
        XCTAssertEqual(numbers(recent), [5003, 8])
    }

    func testDroppedPicturesLeaveNoGapAndRetransmissionsKeepTheirNumbers() {
        _ = send(100, pictureId: 300, tl0: 1, startsSegment: true)
        var dropped = packet(sequenceNumber: 0, pictureId: 301, tl0: 1)
        rewriter.drop(Vp8PayloadDescriptor(payload: dropped.payload)!, nextSequenceNumber: 101)
        // A later packet of the dropped picture changes nothing more.
        dropped = packet(sequenceNumber: 0, pictureId: 301, tl0: 1)
        rewriter.drop(Vp8PayloadDescriptor(payload: dropped.payload)!, nextSequenceNumber: 101)
        XCTAssertEqual(send(101, pictureId: 302, tl0: 1), [301, 1])
        rewriter.drop(Vp8PayloadDescriptor(payload: packet(sequenceNumber: 0, pictureId: 303, tl0: 1).payload)!,
                      nextSequenceNumber: 102)
        XCTAssertEqual(send(102, pictureId: 304, tl0: 2), [302, 2])

        var first = packet(sequenceNumber: 100, pictureId: 300, tl0: 1)
        rewriter.restore(&first)
        XCTAssertEqual(numbers(first), [300, 1])
        var second = packet(sequenceNumber: 101, pictureId: 302, tl0: 1)
        rewriter.restore(&second)
        XCTAssertEqual(numbers(second), [301, 1])
    }
}
