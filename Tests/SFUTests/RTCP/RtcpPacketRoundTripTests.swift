import NIOCore
import XCTest

@testable import SFU

final class RtcpPacketRoundTripTests: XCTestCase {
    private func roundTrip(_ packet: RtcpPacket, file: StaticString = #filePath, line: UInt = #line) throws -> ByteBuffer {
        let bytes = try packet.serialized()
        XCTAssertEqual(bytes.readableBytes % 4, 0, "packets end on a 32-bit boundary", file: file, line: line)
        let header = try RtcpHeader(parsing: bytes)
        XCTAssertEqual(header.packetLength, bytes.readableBytes, file: file, line: line)
        XCTAssertEqual(header.packetType, packet.packetType, file: file, line: line)
        let parsed = try RtcpCompoundPacket(parsing: bytes)
        XCTAssertEqual(parsed.packets, [packet], file: file, line: line)
        return bytes
    }

    func testSenderReportRoundTrip() throws {
        let report = SenderReport(
            ssrc: 0x902F_9E2E, ntpSeconds: 0xDA8B_D1FC, ntpFraction: 0xDDDD_A05A, rtpTimestamp: 0xAAF4_EDD5,
            packetCount: 1, octetCount: 2,
            reportBlocks: [
                ReportBlock(
                    ssrc: 0xBC5E_9A40, fractionLost: 12, totalLost: -5, highestSequenceNumber: 0x0001_46E1,
                    jitter: 0x273, lastSenderReport: 0x9F36_432, delaySinceLastSenderReport: 0x1_50B5)
            ])
        let bytes = try roundTrip(.senderReport(report))
        XCTAssertEqual(bytes.readableBytes, 52)
        XCTAssertEqual(RtpTestBytes.bytes(bytes).prefix(4), [0x81, 0xC8, 0x00, 0x0C])
        // fraction lost 12, cumulative lost -5 as 24-bit two's complement.
        XCTAssertEqual(RtpTestBytes.bytes(bytes)[32..<36], [0x0C, 0xFF, 0xFF, 0xFB])
        XCTAssertEqual(report.ntpTimestamp, 0xDA8B_D1FC_DDDD_A05A)
        XCTAssertEqual(report.compactNtpTimestamp, 0xD1FC_DDDD)
    }

    func testReceiverReportRoundTrip() throws {
        let report = ReceiverReport(
            ssrc: 1,
            reportBlocks: [
                ReportBlock(ssrc: 2, fractionLost: 255, totalLost: 0x7F_FFFF, highestSequenceNumber: 3, jitter: 4),
                ReportBlock(ssrc: 5, totalLost: -0x80_0000),
            ])
        let bytes = try roundTrip(.receiverReport(report))
        XCTAssertEqual(bytes.readableBytes, 4 + 4 + 48)
        XCTAssertEqual(try roundTrip(.receiverReport(ReceiverReport(ssrc: 9))).readableBytes, 8)
    }

    func testReportBlockClampsTotalLostTo24Bits() throws {
        let report = ReceiverReport(ssrc: 1, reportBlocks: [ReportBlock(ssrc: 2, totalLost: 10_000_000)])
        let parsed = try RtcpCompoundPacket(parsing: try RtcpPacket.receiverReport(report).serialized())
        guard case .receiverReport(let received) = parsed.packets.first else { return XCTFail("not an RR") }
        XCTAssertEqual(received.reportBlocks.first?.totalLost, 0x7F_FFFF)
    }

    func testSdesRoundTripAndCnameLookup() throws {
        let sdes = Sdes(chunks: [
            Sdes.Chunk(ssrc: 0x1234, cname: "abcdefghijklmnop"),
            Sdes.Chunk(
                ssrc: 0x5678,
                items: [Sdes.Item(type: .name, text: "Alice"), Sdes.Item(type: .cname, text: "x"), Sdes.Item(type: .tool, value: [0xFF])]),
            Sdes.Chunk(ssrc: 0x9ABC, items: []),
        ])
        _ = try roundTrip(.sourceDescription(sdes))
        XCTAssertEqual(sdes.cname(ssrc: 0x1234), "abcdefghijklmnop")
        XCTAssertEqual(sdes.cname(ssrc: 0x5678), "x")
        XCTAssertNil(sdes.cname(ssrc: 0x9ABC))
    }

    func testByeRoundTripWithAndWithoutReason() throws {
        _ = try roundTrip(.goodbye(Bye(ssrcs: [1, 2, 3])))
        let bytes = try roundTrip(.goodbye(Bye(ssrcs: [0xAABB_CCDD], reason: "camera closed")))
        // header + SSRC + length byte + 13 bytes of text, padded to 24.
        XCTAssertEqual(bytes.readableBytes, 24)
        _ = try roundTrip(.goodbye(Bye(ssrcs: [], reason: "")))
    }

    func testApplicationDefinedPassesThroughUnchanged() throws {
        let app = ApplicationDefined(
            subtype: 3, ssrc: 7, name: 0x5445_5354, data: RtpTestBytes.buffer([1, 2, 3, 4, 5, 6, 7, 8]))
        XCTAssertEqual(app.nameString, "TEST")
        _ = try roundTrip(.applicationDefined(app))
        let oddLength = ApplicationDefined(subtype: 0, ssrc: 7, name: 0x5445_5354, data: RtpTestBytes.buffer([1, 2, 3]))
        let bytes = try roundTrip(.applicationDefined(oddLength))
        XCTAssertEqual(RtpTestBytes.bytes(bytes).first, 0xA0, "odd-length data uses RFC 3550 padding")
    }

    func testGenericNackRoundTripMatchesWireLayout() throws {
        let nack = GenericNack(senderSsrc: 0x0102_0304, mediaSsrc: 0x0506_0708, items: [GenericNack.Item(packetId: 100, lostPacketBitmask: 0x0005)])
        let bytes = try roundTrip(.genericNack(nack))
        XCTAssertEqual(
            RtpTestBytes.bytes(bytes),
            [0x81, 0xCD, 0x00, 0x03, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x00, 0x64, 0x00, 0x05])
    }

    func testPictureLossIndicationWireLayout() throws {
        let bytes = try roundTrip(.pictureLossIndication(PictureLossIndication(senderSsrc: 1, mediaSsrc: 0xCAFE_BABE)))
        XCTAssertEqual(RtpTestBytes.bytes(bytes), [0x81, 0xCE, 0x00, 0x02, 0, 0, 0, 1, 0xCA, 0xFE, 0xBA, 0xBE])
    }

    func testFullIntraRequestWireLayout() throws {
        let fir = FullIntraRequest(
            senderSsrc: 1, entries: [FullIntraRequest.Entry(ssrc: 0xCAFE_BABE, sequenceNumber: 9), .init(ssrc: 2, sequenceNumber: 255)])
        let bytes = try roundTrip(.fullIntraRequest(fir))
        XCTAssertEqual(
            RtpTestBytes.bytes(bytes),
            [
                0x84, 0xCE, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 0,
                0xCA, 0xFE, 0xBA, 0xBE, 0x09, 0, 0, 0,
                0, 0, 0, 2, 0xFF, 0, 0, 0,
            ])
    }

    func testRembRoundTrip() throws {
        _ = try roundTrip(.remb(Remb(senderSsrc: 1, bitrate: 522_022, ssrcs: [0x2345_6789, 0x2345_678A])))
        _ = try roundTrip(.remb(Remb(senderSsrc: 1, bitrate: 0, ssrcs: [])))
    }

    func testTransportWideCcFeedbackRoundTrip() throws {
        let feedback = try TransportWideCcFeedback(
            senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 7,
            packets: [(100, 1_000_000), (101, 1_000_250), (102, nil), (103, 1_100_000)])
        _ = try roundTrip(.transportWideCcFeedback(feedback))
    }

    func testUnknownPacketsAreKeptVerbatim() throws {
        // XR (207) with one 8-byte block, and an RTPFB TMMBR (FMT 3).
        let xr = RtpTestBytes.buffer([0x80, 0xCF, 0x00, 0x03, 0, 0, 0, 1, 0x04, 0x00, 0x00, 0x02, 0x11, 0x22, 0x33, 0x44])
        let parsed = try RtcpCompoundPacket(parsing: xr)
        guard case .unknown(let unknown) = parsed.packets.first else { return XCTFail("not unknown") }
        XCTAssertEqual(unknown.packetType, 207)
        XCTAssertEqual(unknown.body.readableBytes, 12)
        XCTAssertEqual(try parsed.serialized(), xr)

        let tmmbr = UnknownRtcpPacket(count: 3, packetType: 205, body: RtpTestBytes.buffer([0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]))
        _ = try roundTrip(.unknown(tmmbr))
        let odd = UnknownRtcpPacket(count: 0, packetType: 210, body: RtpTestBytes.buffer([1, 2, 3, 4, 5]))
        _ = try roundTrip(.unknown(odd))
    }

    func testPsfbApplicationFeedbackWithoutRembIdentifierIsUnknown() throws {
        let afb = RtpTestBytes.buffer([0x8F, 0xCE, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0x41, 0x42, 0x43, 0x44])
        guard case .unknown(let packet) = try RtcpCompoundPacket(parsing: afb).packets.first else {
            return XCTFail("expected unknown")
        }
        XCTAssertEqual(packet.count, 15)
    }

    func testSerializationRejectsValuesTheWireCannotCarry() {
        let tooManyBlocks = ReceiverReport(ssrc: 1, reportBlocks: (0..<32).map { ReportBlock(ssrc: UInt32($0)) })
        var buffer = ByteBuffer()
        XCTAssertThrowsError(try RtcpPacket.receiverReport(tooManyBlocks).write(to: &buffer)) { error in
            guard case .cannotSerialize = error as? RtcpPacketError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(buffer.readableBytes, 0, "nothing written on error")

        let longItem = Sdes(chunks: [Sdes.Chunk(ssrc: 1, items: [Sdes.Item(type: .note, value: [UInt8](repeating: 0x41, count: 256))])])
        XCTAssertThrowsError(try RtcpPacket.sourceDescription(longItem).serialized())
        let longReason = Bye(ssrcs: [1], reason: String(repeating: "x", count: 256))
        XCTAssertThrowsError(try RtcpPacket.goodbye(longReason).serialized())

        var compound = RtcpCompoundPacket([.pictureLossIndication(PictureLossIndication(senderSsrc: 1, mediaSsrc: 2))])
        compound.append(.receiverReport(tooManyBlocks))
        var out = ByteBuffer()
        XCTAssertThrowsError(try compound.write(to: &out))
        XCTAssertEqual(out.readableBytes, 0, "a failed compound write leaves the buffer as it was")
    }
}
