import NIOCore
import XCTest

@testable import SFU

final class RtcpCompoundPacketTests: XCTestCase {
    /// SR with one report block followed by SDES with a 16-byte CNAME, built from the RFC 3550
    /// layouts.
    private let senderReportAndSdes: [UInt8] = [
        // SR, RC=1, length 12
        0x81, 0xC8, 0x00, 0x0C,
        0x90, 0x2F, 0x9E, 0x2E,
        0xDA, 0x8B, 0xD1, 0xFC, 0xDD, 0xDD, 0xA0, 0x5A,
        0xAA, 0xF4, 0xED, 0xD5,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x02,
        0xBC, 0x5E, 0x9A, 0x40,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x46, 0xE1,
        0x00, 0x00, 0x01, 0x11,
        0x09, 0xF3, 0x64, 0x32,
        0x00, 0x02, 0x4A, 0x79,
        // SDES, SC=1, length 6
        0x81, 0xCA, 0x00, 0x06,
        0x90, 0x2F, 0x9E, 0x2E,
        0x01, 0x10, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
        0x00, 0x00,
    ]

    func testParsesSenderReportFollowedBySdes() throws {
        let compound = try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(senderReportAndSdes))
        XCTAssertEqual(compound.packets.count, 2)
        guard case .senderReport(let report) = compound.packets[0], case .sourceDescription(let sdes) = compound.packets[1] else {
            return XCTFail("unexpected packets \(compound.packets)")
        }
        XCTAssertEqual(report.ssrc, 0x902F_9E2E)
        XCTAssertEqual(report.ntpSeconds, 0xDA8B_D1FC)
        XCTAssertEqual(report.ntpFraction, 0xDDDD_A05A)
        XCTAssertEqual(report.rtpTimestamp, 0xAAF4_EDD5)
        XCTAssertEqual(report.packetCount, 1)
        XCTAssertEqual(report.octetCount, 2)
        XCTAssertEqual(
            report.reportBlocks,
            [
                ReportBlock(
                    ssrc: 0xBC5E_9A40, fractionLost: 0, totalLost: 0, highestSequenceNumber: 0x46E1, jitter: 0x111,
                    lastSenderReport: 0x09F3_6432, delaySinceLastSenderReport: 0x0002_4A79)
            ])
        XCTAssertEqual(sdes.chunks.count, 1)
        XCTAssertEqual(sdes.cname(ssrc: 0x902F_9E2E), "abcdefghijklmnop")

        XCTAssertEqual(RtpTestBytes.bytes(try compound.serialized()), senderReportAndSdes)
    }

    func testBuilderWritesPacketsBackToBack() throws {
        var compound = RtcpCompoundPacket()
        compound.append(.receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [ReportBlock(ssrc: 2, fractionLost: 3)])))
        compound.append(.sourceDescription(Sdes(chunks: [Sdes.Chunk(ssrc: 1, cname: "cname")])))
        compound.append(.genericNack(GenericNack(senderSsrc: 1, mediaSsrc: 2, lostSequenceNumbers: [10, 12])))
        compound.append(.pictureLossIndication(PictureLossIndication(senderSsrc: 1, mediaSsrc: 2)))
        compound.append(.remb(Remb(senderSsrc: 1, bitrate: 1_000_000, ssrcs: [2])))

        var buffer = ByteBuffer()
        buffer.writeBytes([0xEE])
        buffer.moveReaderIndex(forwardBy: 1)
        try compound.write(to: &buffer)
        XCTAssertEqual(try RtcpCompoundPacket(parsing: buffer), compound)
    }

    func testParsesTheTransportWideCcCaptureWithPadding() throws {
        let capture: [UInt8] = [
            0xAF, 0xCD, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01,
            0xDD, 0x58, 0x6E, 0xB6, 0x00, 0x01, 0x00, 0x09,
            0x5E, 0x91, 0x10, 0x00, 0x20, 0x09, 0x1C, 0x0C,
            0x2C, 0x38, 0x00, 0x04, 0x00, 0x08, 0x18, 0x01,
        ]
        let compound = try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(capture))
        guard case .transportWideCcFeedback(let feedback) = compound.packets.first else { return XCTFail("not TWCC") }
        XCTAssertEqual(feedback.senderSsrc, 1)
        XCTAssertEqual(feedback.mediaSsrc, 0xDD58_6EB6)
        XCTAssertEqual(feedback.baseSequenceNumber, 1)
        XCTAssertEqual(feedback.packetStatusCount, 9)
        XCTAssertEqual(feedback.referenceTime, 6_197_520)
        XCTAssertEqual(feedback.feedbackPacketCount, 0)
        XCTAssertEqual(feedback.chunks, [.runLength(symbol: .receivedSmallDelta, runLength: 9)])
        XCTAssertEqual(feedback.receiveDeltas, [0x1C, 0x0C, 0x2C, 0x38, 0x00, 0x04, 0x00, 0x08, 0x18])

        let results = feedback.packetResults
        XCTAssertEqual(results.map(\.sequenceNumber), Array(1...9))
        let base = Int64(6_197_520) * 64_000
        XCTAssertEqual(results.first?.arrivalTime, base + 7_000)
        XCTAssertEqual(results.last?.arrivalTime, base + 44_000)

        let rewritten = try compound.serialized()
        XCTAssertEqual(rewritten.readableBytes, 32)
        XCTAssertEqual(try RtcpCompoundPacket(parsing: rewritten), compound)
    }

    func testRejectsBadFramingWithTypedErrors() {
        func error(_ bytes: [UInt8]) -> RtcpPacketError? {
            do {
                _ = try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(bytes))
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(error([0x80, 0xC9]), .truncatedHeader(available: 2))
        XCTAssertEqual(error([0x40, 0xC9, 0x00, 0x00]), .unsupportedVersion(1))
        XCTAssertEqual(error([0x80, 0xC9, 0x00, 0x02, 0, 0, 0, 1]), .lengthExceedsBuffer(declared: 12, available: 8))
        XCTAssertEqual(error([0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 0]), .invalidPadding(paddingLength: 0, bodyLength: 4))
        XCTAssertEqual(error([0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 5]), .invalidPadding(paddingLength: 5, bodyLength: 4))
        XCTAssertEqual(
            error([0x81, 0xC9, 0x00, 0x01, 0, 0, 0, 1]),
            .truncatedBody(packetType: 201, needed: 28, available: 4))
        // NACK whose FCI (after 2 padding bytes) is 2 bytes long.
        XCTAssertEqual(
            error([0xA1, 0xCD, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x10, 0x00, 0x02]),
            .malformed(packetType: 205, reason: "NACK FCI length 2 is not a multiple of 4"))
        // A valid PLI followed by a truncated header fails the whole datagram.
        XCTAssertEqual(error([0x81, 0xCE, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2, 0x80]), .truncatedHeader(available: 1))
    }

    func testEmptyDatagramHasNoPackets() throws {
        XCTAssertEqual(try RtcpCompoundPacket(parsing: ByteBuffer()).packets, [])
    }
}
