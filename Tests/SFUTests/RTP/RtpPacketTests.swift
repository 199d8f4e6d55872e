import NIOCore
import XCTest

@testable import SFU

final class RtpPacketTests: XCTestCase {
    private func packet(_ bytes: [UInt8]) throws -> RtpPacket {
        try RtpPacket(buffer: RtpTestBytes.buffer(bytes))
    }

    func testParsesFixedHeaderFields() throws {
        let bytes: [UInt8] = [
            0x80, 0xE0, 0x12, 0x34, 0x00, 0x01, 0xE2, 0x40, 0xCA, 0xFE, 0xBA, 0xBE,
            0x01, 0x02, 0x03,
        ]
        let rtp = try packet(bytes)
        XCTAssertEqual(rtp.version, 2)
        XCTAssertTrue(rtp.marker)
        XCTAssertEqual(rtp.payloadType, 96)
        XCTAssertEqual(rtp.sequenceNumber, 0x1234)
        XCTAssertEqual(rtp.timestamp, 123_456)
        XCTAssertEqual(rtp.ssrc, 0xCAFE_BABE)
        XCTAssertEqual(rtp.csrcCount, 0)
        XCTAssertFalse(rtp.hasHeaderExtension)
        XCTAssertFalse(rtp.hasPadding)
        XCTAssertEqual(rtp.headerLength, 12)
        XCTAssertEqual(rtp.payloadRange, 12..<15)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0x01, 0x02, 0x03])
        XCTAssertEqual(rtp.size, 15)
    }

    func testParsesChromeCaptureWithOneByteExtensions() throws {
        let rtp = try packet(RtpTestBytes.chromeOneByteExtensionPacket)
        XCTAssertEqual(rtp.payloadType, 45)
        XCTAssertFalse(rtp.marker)
        XCTAssertEqual(rtp.sequenceNumber, 6751)
        XCTAssertEqual(rtp.timestamp, 3_557_360_969)
        XCTAssertEqual(rtp.ssrc, 4_155_600_515)
        XCTAssertEqual(rtp.headerExtensionProfile, 0xBEDE)
        XCTAssertEqual(rtp.headerExtensionForm, .oneByte)
        XCTAssertEqual(rtp.headerLength, 28)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0xDE, 0xAD, 0xBE, 0xEF])

        let elements = rtp.headerExtensions.map { ($0.id, RtpTestBytes.bytes($0.value)) }
        XCTAssertEqual(elements.map(\.0), [2, 4, 13])
        XCTAssertEqual(elements.map(\.1), [[0xF3, 0x43, 0x50], [0x00, 0x9B], [0x81, 0x00, 0x45]])
        XCTAssertEqual(rtp.absSendTime(extensionId: 2), RtpAbsSendTime(rawValue: 0xF3_4350))
        XCTAssertEqual(rtp.transportWideSequenceNumber(extensionId: 4), 0x009B)
    }

    func testParsesTwoByteExtensionCapture() throws {
        let rtp = try packet(RtpTestBytes.twoByteExtensionPacket)
        XCTAssertEqual(rtp.headerExtensionForm, .twoByte)
        XCTAssertEqual(rtp.sequenceNumber, 25029)
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [2, 4, 9, 3, 6, 7, 13])
        XCTAssertEqual(rtp.headerExtension(id: 13)?.readableBytes, 33)
        XCTAssertEqual(rtp.headerExtension(id: 7)?.readableBytes, 13)
        XCTAssertEqual(rtp.transportWideSequenceNumber(extensionId: 4), 2)
        XCTAssertEqual(rtp.payloadLength, 0)
    }

    func testRejectsMalformedHeadersWithTypedErrors() {
        XCTAssertThrowsError(try packet([0x80, 0x60, 0x00])) { error in
            XCTAssertEqual(error as? RtpPacketError, .tooShort(length: 3))
        }
        XCTAssertThrowsError(try packet([0x40] + [UInt8](repeating: 0, count: 11))) { error in
            XCTAssertEqual(error as? RtpPacketError, .unsupportedVersion(1))
        }
        XCTAssertThrowsError(try packet([0x82] + [UInt8](repeating: 0, count: 15))) { error in
            XCTAssertEqual(error as? RtpPacketError, .truncatedCsrcList(csrcCount: 2, length: 16))
        }
        // X bit with an extension announcing 2 words but carrying 1.
        XCTAssertThrowsError(
            try packet([0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x02, 0x10, 0xFF, 0, 0])
        ) { error in
            XCTAssertEqual(error as? RtpPacketError, .truncatedHeaderExtension(declaredLength: 12, available: 8))
        }
        // P bit with a zero padding count.
        XCTAssertThrowsError(try packet([0xA0, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xAA, 0x00])) { error in
            XCTAssertEqual(error as? RtpPacketError, .invalidPadding(paddingLength: 0, available: 2))
        }
        // P bit with a padding count larger than what follows the header.
        XCTAssertThrowsError(try packet([0xA0, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xAA, 0x03])) { error in
            XCTAssertEqual(error as? RtpPacketError, .invalidPadding(paddingLength: 3, available: 2))
        }
    }

    func testRewritesHeaderFieldsAndReparses() throws {
        var rtp = try packet(RtpTestBytes.chromeOneByteExtensionPacket)
        rtp.ssrc = 0x0102_0304
        rtp.payloadType = 101
        rtp.sequenceNumber = 65535
        rtp.timestamp = 0xFFFF_FFF0
        rtp.marker = true

        let reparsed = try RtpPacket(buffer: rtp.buffer)
        XCTAssertEqual(reparsed.ssrc, 0x0102_0304)
        XCTAssertEqual(reparsed.payloadType, 101)
        XCTAssertEqual(reparsed.sequenceNumber, 65535)
        XCTAssertEqual(reparsed.timestamp, 0xFFFF_FFF0)
        XCTAssertTrue(reparsed.marker)
        XCTAssertEqual(reparsed.headerExtensions.map(\.id), [2, 4, 13])
        XCTAssertEqual(RtpTestBytes.bytes(reparsed.payload), [0xDE, 0xAD, 0xBE, 0xEF])
        XCTAssertEqual(reparsed.size, RtpTestBytes.chromeOneByteExtensionPacket.count)
    }

    func testPayloadTypeSetterKeepsMarkerAndMasksTo7Bits() throws {
        var rtp = RtpPacket(payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1, marker: true, payloadBytes: [1])
        rtp.payloadType = 0xFF
        XCTAssertEqual(rtp.payloadType, 0x7F)
        XCTAssertTrue(rtp.marker)
        rtp.marker = false
        XCTAssertEqual(rtp.payloadType, 0x7F)
    }

    func testRewritingACopyLeavesTheOriginalUntouched() throws {
        let original = try packet(RtpTestBytes.chromeOneByteExtensionPacket)
        var consumerCopy = original
        consumerCopy.ssrc = 42
        consumerCopy.sequenceNumber = 7
        XCTAssertEqual(original.ssrc, 4_155_600_515)
        XCTAssertEqual(original.sequenceNumber, 6751)
        XCTAssertEqual(consumerCopy.ssrc, 42)
        XCTAssertNotEqual(original, consumerCopy)
    }

    func testReadsAndRewritesCsrcs() throws {
        var rtp = try packet([
            0x82, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
            0, 0, 0, 0x0A, 0, 0, 0, 0x0B,
            0x55,
        ])
        XCTAssertEqual(rtp.csrcs, [10, 11])
        XCTAssertEqual(rtp.csrc(at: 1), 11)
        XCTAssertNil(rtp.csrc(at: 2))

        try rtp.setCsrcs([20, 21])
        XCTAssertEqual(rtp.size, 21)
        XCTAssertEqual(rtp.csrcs, [20, 21])

        try rtp.setCsrcs([1, 2, 3])
        XCTAssertEqual(rtp.csrcCount, 3)
        XCTAssertEqual(rtp.csrcs, [1, 2, 3])
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0x55])
        XCTAssertEqual(rtp.ssrc, 3)

        try rtp.setCsrcs([])
        XCTAssertEqual(rtp.headerLength, 12)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0x55])

        XCTAssertThrowsError(try rtp.setCsrcs(Array(0..<16))) { error in
            XCTAssertEqual(error as? RtpPacketError, .tooManyCsrcs(16))
        }
    }

    func testCsrcRewriteKeepsHeaderExtension() throws {
        var rtp = try packet(RtpTestBytes.chromeOneByteExtensionPacket)
        try rtp.setCsrcs([0xAABB_CCDD])
        XCTAssertEqual(rtp.csrcs, [0xAABB_CCDD])
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [2, 4, 13])
        XCTAssertEqual(rtp.transportWideSequenceNumber(extensionId: 4), 0x009B)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0xDE, 0xAD, 0xBE, 0xEF])
    }

    func testReadsAndRemovesPadding() throws {
        var rtp = try packet([
            0xA0, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1,
            0x11, 0x22, 0x33,
            0x00, 0x00, 0x03,
        ])
        XCTAssertTrue(rtp.hasPadding)
        XCTAssertEqual(rtp.paddingLength, 3)
        XCTAssertEqual(rtp.payloadLength, 3)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0x11, 0x22, 0x33])

        rtp.removePadding()
        XCTAssertFalse(rtp.hasPadding)
        XCTAssertEqual(rtp.paddingLength, 0)
        XCTAssertEqual(rtp.size, 15)

        let reparsed = try RtpPacket(buffer: rtp.buffer)
        XCTAssertFalse(reparsed.hasPadding)
        XCTAssertEqual(RtpTestBytes.bytes(reparsed.payload), [0x11, 0x22, 0x33])
    }

    func testPaddingOnlyPacketHasEmptyPayload() throws {
        let rtp = try packet([0xA0, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4])
        XCTAssertEqual(rtp.paddingLength, 4)
        XCTAssertEqual(rtp.payloadLength, 0)
        XCTAssertEqual(rtp.payload.readableBytes, 0)
    }

    func testBuilderProducesAParsablePacket() throws {
        let built = RtpPacket(
            payloadType: 111, sequenceNumber: 500, timestamp: 960, ssrc: 0x1234, marker: true,
            payloadBytes: [0xFC, 0x01, 0x02], paddingLength: 4)
        let parsed = try RtpPacket(buffer: built.buffer)
        XCTAssertEqual(parsed, built)
        XCTAssertEqual(parsed.payloadType, 111)
        XCTAssertEqual(parsed.sequenceNumber, 500)
        XCTAssertEqual(parsed.timestamp, 960)
        XCTAssertEqual(parsed.ssrc, 0x1234)
        XCTAssertTrue(parsed.marker)
        XCTAssertEqual(parsed.paddingLength, 4)
        XCTAssertEqual(RtpTestBytes.bytes(parsed.payload), [0xFC, 0x01, 0x02])
    }

    func testParsingRespectsTheBufferReaderIndex() throws {
        var buffer = RtpTestBytes.buffer([0xFF, 0xFF] + RtpTestBytes.chromeOneByteExtensionPacket)
        buffer.moveReaderIndex(forwardBy: 2)
        var rtp = try RtpPacket(buffer: buffer)
        XCTAssertEqual(rtp.sequenceNumber, 6751)
        XCTAssertEqual(rtp.headerExtensionValueRange(id: 4), 21..<23)
        rtp.sequenceNumber = 1
        try rtp.setMid("video", extensionId: 1)
        XCTAssertEqual(rtp.mid(extensionId: 1), "video")
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0xDE, 0xAD, 0xBE, 0xEF])
    }

    func testDemultiplexingHintsTellRtpFromRtcp() {
        let rtp = RtpTestBytes.buffer(RtpTestBytes.chromeOneByteExtensionPacket)
        let rtcp = RtpTestBytes.buffer([0x81, 0xC9, 0x00, 0x07] + [UInt8](repeating: 0, count: 28))
        XCTAssertTrue(RtpPacket.looksLikeRtp(rtp))
        XCTAssertFalse(RtcpHeader.looksLikeRtcp(rtp))
        XCTAssertFalse(RtpPacket.looksLikeRtp(rtcp))
        XCTAssertTrue(RtcpHeader.looksLikeRtcp(rtcp))
        XCTAssertFalse(RtpPacket.looksLikeRtp(RtpTestBytes.buffer([0x16, 0xFE, 0xFD])))
    }

    func testErrorsDescribeTheProblem() {
        XCTAssertTrue(RtpPacketError.tooShort(length: 3).description.contains("3 bytes"))
        XCTAssertTrue(RtpPacketError.unsupportedHeaderExtensionProfile(0xABCD).description.contains("abcd"))
    }
}
