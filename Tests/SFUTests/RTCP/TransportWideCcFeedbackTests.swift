import NIOCore
import XCTest

@testable import SFU

final class TransportWideCcFeedbackTests: XCTestCase {
    private typealias Feedback = TransportWideCcFeedback

    private func roundTrip(_ feedback: Feedback) throws -> Feedback {
        let parsed = try RtcpCompoundPacket(parsing: try RtcpPacket.transportWideCcFeedback(feedback).serialized())
        guard case .transportWideCcFeedback(let received) = parsed.packets.first, parsed.packets.count == 1 else {
            XCTFail("expected one transport-cc packet, got \(parsed.packets)")
            return feedback
        }
        return received
    }

    func testLongRunOfReceivedPacketsUsesRunLengthChunk() throws {
        let start: Int64 = 10_000_000
        let packets = (0..<20).map { (UInt16(500 + $0), Optional(start + Int64($0) * 1_000)) }
        let feedback = try Feedback(senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 3, packets: packets)
        XCTAssertEqual(feedback.baseSequenceNumber, 500)
        XCTAssertEqual(feedback.packetStatusCount, 20)
        XCTAssertEqual(feedback.referenceTime, 156)
        XCTAssertEqual(feedback.chunks, [.runLength(symbol: .receivedSmallDelta, runLength: 20)])

        let received = try roundTrip(feedback)
        XCTAssertEqual(received, feedback)
        XCTAssertEqual(received.packetResults.map(\.arrivalTime), packets.map(\.1))
        XCTAssertEqual(received.packetResults.map(\.sequenceNumber), packets.map(\.0))
    }

    func testMixedLossUsesOneBitVectorChunks() throws {
        var packets: [(sequenceNumber: UInt16, arrivalTime: Int64?)] = []
        for index in 0..<14 {
            packets.append((UInt16(index), index % 3 == 1 ? nil : 64_000 + Int64(index) * 2_000))
        }
        let feedback = try Feedback(senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0, packets: packets)
        guard case .oneBitVector(let symbols) = feedback.chunks.first else { return XCTFail("\(feedback.chunks)") }
        XCTAssertEqual(feedback.chunks.count, 1)
        XCTAssertEqual(symbols.count, 14)
        XCTAssertEqual(symbols[1], .notReceived)
        XCTAssertEqual(symbols[2], .receivedSmallDelta)

        let received = try roundTrip(feedback)
        XCTAssertEqual(received, feedback)
        XCTAssertEqual(received.packetResults.map(\.arrivalTime), packets.map(\.arrivalTime))
    }

    func testLargeAndNegativeDeltasUseTwoBitVectorChunks() throws {
        let packets: [(sequenceNumber: UInt16, arrivalTime: Int64?)] = [
            (65533, 128_000),
            (65534, 228_000),  // +100 ms: large delta
            (65535, 227_000),  // -1 ms (reordered arrival): large negative delta
            (0, nil),
            (1, 227_250),
            (2, 2_227_250),  // +2 s
        ]
        let feedback = try Feedback(senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 255, packets: packets)
        XCTAssertEqual(feedback.baseSequenceNumber, 65533)
        XCTAssertEqual(feedback.packetStatusCount, 6)
        XCTAssertEqual(feedback.receiveDeltas, [0, 400, -4, 1, 8000])
        XCTAssertEqual(
            feedback.packetStatuses,
            [.receivedSmallDelta, .receivedLargeDelta, .receivedLargeDelta, .notReceived, .receivedSmallDelta, .receivedLargeDelta])
        XCTAssertTrue(feedback.chunks.allSatisfy { if case .twoBitVector = $0 { return true } else { return false } })

        let received = try roundTrip(feedback)
        XCTAssertEqual(received, feedback)
        XCTAssertEqual(received.packetResults.map(\.arrivalTime), packets.map(\.arrivalTime))
        XCTAssertEqual(received.packetResults.map(\.sequenceNumber), [65533, 65534, 65535, 0, 1, 2])
    }

    func testGapsAndLongLossRunsMixChunkKinds() throws {
        var packets: [(sequenceNumber: UInt16, arrivalTime: Int64?)] = [(1000, 640_000)]
        packets.append((1001, 640_250))
        // 1002...1029 lost (gap), then a burst including a large delta.
        packets.append((1030, 740_250))
        for index in 1031..<1040 { packets.append((UInt16(index), 740_250 + Int64(index - 1030) * 500)) }
        let feedback = try Feedback(senderSsrc: 5, mediaSsrc: 6, feedbackPacketCount: 1, packets: packets)
        XCTAssertEqual(feedback.packetStatusCount, 40)
        XCTAssertEqual(
            feedback.chunks,
            [
                .oneBitVector([.receivedSmallDelta, .receivedSmallDelta] + Array(repeating: .notReceived, count: 12)),
                .runLength(symbol: .notReceived, runLength: 16),
                .twoBitVector([.receivedLargeDelta] + Array(repeating: .receivedSmallDelta, count: 6)),
                .runLength(symbol: .receivedSmallDelta, runLength: 3),
            ])

        let received = try roundTrip(feedback)
        XCTAssertEqual(received, feedback)
        let results = received.packetResults
        XCTAssertEqual(results.count, 40)
        XCTAssertNil(results[2].arrivalTime)
        XCTAssertEqual(results[30].arrivalTime, 740_250)
        XCTAssertEqual(results[39].arrivalTime, 744_750)
    }

    func testArrivalTimesRoundToTheNearestTickWithoutDrift() throws {
        let packets: [(sequenceNumber: UInt16, arrivalTime: Int64?)] = (0..<50).map { (UInt16($0), Int64($0) * 333) }
        let feedback = try Feedback(senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0, packets: packets)
        let results = try roundTrip(feedback).packetResults
        for (result, packet) in zip(results, packets) {
            let error = abs((result.arrivalTime ?? .max) - (packet.arrivalTime ?? 0))
            XCTAssertLessThanOrEqual(error, 125, "seq \(packet.sequenceNumber)")
        }
    }

    func testBuilderRefusesPacketsItCannotEncode() {
        var builder = Feedback.Builder(senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0)
        XCTAssertNil(builder.build())
        XCTAssertTrue(builder.add(sequenceNumber: 10, arrivalTime: 1_000_000))
        XCTAssertFalse(builder.add(sequenceNumber: 10, arrivalTime: 1_000_100), "duplicate")
        XCTAssertFalse(builder.add(sequenceNumber: 9, arrivalTime: 1_000_100), "backwards")
        XCTAssertFalse(builder.add(sequenceNumber: 11, arrivalTime: 1_000_000 + 9_000_000), "delta beyond 16 bits")
        XCTAssertFalse(builder.add(sequenceNumber: 10 &+ 0x8000, arrivalTime: 1_000_100), "jump of half the space")
        XCTAssertEqual(builder.packetCount, 1)
        XCTAssertTrue(builder.add(sequenceNumber: 11, arrivalTime: 1_000_000 + 8_000_000))
        XCTAssertEqual(builder.build()?.receiveDeltas.last, 32_000)

        var extremes = Feedback.Builder(senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0)
        XCTAssertFalse(extremes.add(sequenceNumber: 1, arrivalTime: .min), "reference time overflows")
        XCTAssertTrue(extremes.add(sequenceNumber: 1, arrivalTime: -1_000_000))
        XCTAssertFalse(extremes.add(sequenceNumber: 2, arrivalTime: .max), "overflowing difference is refused")

        XCTAssertThrowsError(
            try Feedback(senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0, packets: [(5, 0), (4, 0)]))
        XCTAssertThrowsError(try Feedback(senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: 0, packets: []))
    }

    func testReferenceTimeIsSignExtendedTo24Bits() throws {
        let feedback = Feedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 0, packetStatusCount: 1, referenceTime: -2,
            feedbackPacketCount: 0, chunks: [.runLength(symbol: .receivedSmallDelta, runLength: 1)], receiveDeltas: [4])
        let received = try roundTrip(feedback)
        XCTAssertEqual(received.referenceTime, -2)
        XCTAssertEqual(received.packetResults.first?.arrivalTime, -128_000 + 1_000)
    }

    func testInconsistentValuesAreNotSerialized() {
        let missingDelta = Feedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 0, packetStatusCount: 2, referenceTime: 0,
            feedbackPacketCount: 0, chunks: [.runLength(symbol: .receivedSmallDelta, runLength: 2)], receiveDeltas: [1])
        XCTAssertThrowsError(try RtcpPacket.transportWideCcFeedback(missingDelta).serialized())

        let smallDeltaTooBig = Feedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 0, packetStatusCount: 1, referenceTime: 0,
            feedbackPacketCount: 0, chunks: [.runLength(symbol: .receivedSmallDelta, runLength: 1)], receiveDeltas: [300])
        XCTAssertThrowsError(try RtcpPacket.transportWideCcFeedback(smallDeltaTooBig).serialized())

        let tooFewStatuses = Feedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 0, packetStatusCount: 3, referenceTime: 0,
            feedbackPacketCount: 0, chunks: [.runLength(symbol: .notReceived, runLength: 2)], receiveDeltas: [])
        XCTAssertThrowsError(try RtcpPacket.transportWideCcFeedback(tooFewStatuses).serialized())
    }

    func testReservedSymbolIsRejectedOnlyWhereItCounts() throws {
        // Status count 1, two-bit vector: first symbol "small delta", second (unused) symbol 3.
        let header: [UInt8] = [0x8F, 0xCD, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]
        let tolerated = header + [0xDC, 0x00, 0x04, 0x00]
        let feedback = try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(tolerated))
        guard case .transportWideCcFeedback(let parsed) = feedback.packets.first else { return XCTFail() }
        XCTAssertEqual(parsed.packetResults.count, 1)
        XCTAssertEqual(parsed.receiveDeltas, [4])

        let rejected = header + [0xF0, 0x00, 0x04, 0x00]
        XCTAssertThrowsError(try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(rejected))) { error in
            XCTAssertEqual(error as? RtcpPacketError, .malformed(packetType: 205, reason: "reserved packet status symbol 3"))
        }
    }

    func testFeedbackDescribingMoreThanASenderKeepsIsRejected() {
        // Status count 65,535 in nine 36-byte run-length chunks ("not received"): cheap to send,
        // costly to expand hundreds of times a datagram.
        let header: [UInt8] = [0x8F, 0xCD, 0x00, 0x09, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00]
        let chunks = Array([[UInt8]](repeating: [0x1F, 0xFF], count: 9).joined()) + [0, 0]
        XCTAssertThrowsError(try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(header + chunks))) { error in
            XCTAssertEqual(
                error as? RtcpPacketError,
                .malformed(packetType: 205, reason: "transport-cc describes 65535 packets, more than 8192"))
        }
    }
}
