import NIOCore
import XCTest

@testable import SFU

final class RtpRetransmissionBufferTests: XCTestCase {
    private func videoBuffer(maxItems: Int = RtpRetransmissionBuffer.defaultMaxItems) -> RtpRetransmissionBuffer {
        RtpRetransmissionBuffer(
            maxItems: maxItems, maxRetransmissionDelay: RtpRetransmissionBuffer.maxRetransmissionDelayForVideo,
            clockRate: 90_000)
    }

    private func insert(_ buffer: inout RtpRetransmissionBuffer, _ sequenceNumbers: [UInt16], at milliseconds: Int64 = 0) {
        for sequenceNumber in sequenceNumbers {
            buffer.insert(
                StreamTestPackets.packet(sequenceNumber: sequenceNumber, timestamp: UInt32(sequenceNumber) * 3000),
                now: StreamTestTime.at(milliseconds))
        }
    }

    func testSharedSourcePacketComesBackWithTheSentSequenceNumberAndTimestamp() {
        var buffer = videoBuffer()
        let source = StreamTestPackets.packet(sequenceNumber: 7, timestamp: 1_000)
        buffer.insert(source, sequenceNumber: 500, timestamp: 90_000, now: StreamTestTime.at(0))
        let packet = buffer.packet(for: 500, now: StreamTestTime.at(5))
        XCTAssertEqual(packet?.sequenceNumber, 500)
        XCTAssertEqual(packet?.timestamp, 90_000)
        XCTAssertEqual(packet?.payload, source.payload)
        XCTAssertNil(buffer.packet(for: 7, now: StreamTestTime.at(500)), "stored under the sent number only")
    }

    func testStoredPacketIsReturnedForItsSequenceNumber() {
        var buffer = videoBuffer()
        insert(&buffer, [100, 101, 102, 103])
        XCTAssertEqual(
            buffer.packet(for: 102, now: StreamTestTime.at(10)),
            StreamTestPackets.packet(sequenceNumber: 102, timestamp: 306_000))
        XCTAssertEqual(buffer.packetsRetransmitted, 1)
        XCTAssertEqual(buffer.packetsRepaired, 1)
    }

    func testUnknownSequenceNumbersMiss() {
        var buffer = videoBuffer()
        insert(&buffer, [100, 102])
        XCTAssertNil(buffer.packet(for: 101, now: StreamTestTime.at(10)), "a gap in what was sent")
        XCTAssertNil(buffer.packet(for: 99, now: StreamTestTime.at(10)), "before the oldest")
        XCTAssertNil(buffer.packet(for: 103, now: StreamTestTime.at(10)), "after the newest")
        XCTAssertEqual(buffer.count, 2)
        XCTAssertEqual(buffer.packetsRetransmitted, 0)
    }

    func testPacketIsNotResentTwiceWithinOneRoundTrip() {
        var buffer = videoBuffer()
        insert(&buffer, [1, 2])
        XCTAssertNotNil(buffer.packet(for: 1, now: StreamTestTime.at(0)))
        XCTAssertNil(buffer.packet(for: 1, now: StreamTestTime.at(50)))
        XCTAssertNotNil(buffer.packet(for: 1, now: StreamTestTime.at(150)))
        buffer.roundTripTime = .milliseconds(300)
        XCTAssertNil(buffer.packet(for: 1, now: StreamTestTime.at(400)))
        XCTAssertNotNil(buffer.packet(for: 1, now: StreamTestTime.at(451)))
        XCTAssertEqual(buffer.packetsRetransmitted, 3)
        XCTAssertEqual(buffer.packetsRepaired, 1, "only a packet's first retransmission repairs it")
    }

    func testPacketsOlderThanTheMaxDelayInMediaTimeAreEvicted() {
        var buffer = videoBuffer()
        buffer.insert(StreamTestPackets.packet(sequenceNumber: 1, timestamp: 0), now: StreamTestTime.at(0))
        buffer.insert(StreamTestPackets.packet(sequenceNumber: 2, timestamp: 180_000), now: StreamTestTime.at(0))
        XCTAssertEqual(buffer.count, 2, "exactly two seconds old is still kept")
        buffer.insert(StreamTestPackets.packet(sequenceNumber: 3, timestamp: 180_001), now: StreamTestTime.at(0))
        XCTAssertEqual(buffer.count, 2)
        XCTAssertNil(buffer.packet(for: 1, now: StreamTestTime.at(0)))
        XCTAssertNotNil(buffer.packet(for: 2, now: StreamTestTime.at(0)))
    }

    func testStalledStreamDoesNotResendStalePackets() {
        var buffer = videoBuffer()
        insert(&buffer, [7])
        XCTAssertNil(buffer.packet(for: 7, now: StreamTestTime.at(2001)))
    }

    func testCapacityEvictsTheOldest() {
        var buffer = videoBuffer(maxItems: 4)
        insert(&buffer, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(buffer.count, 4)
        XCTAssertNil(buffer.packet(for: 2, now: StreamTestTime.at(0)))
        XCTAssertNotNil(buffer.packet(for: 3, now: StreamTestTime.at(0)))
        XCTAssertNotNil(buffer.packet(for: 6, now: StreamTestTime.at(0)))
    }

    func testStorageGrowsPastItsFirstSizeKeepingOrderAtBothEnds() {
        var buffer = videoBuffer(maxItems: 300)
        func store(_ sequenceNumber: UInt16) {
            buffer.insert(
                StreamTestPackets.packet(sequenceNumber: sequenceNumber, timestamp: UInt32(sequenceNumber) * 10),
                now: StreamTestTime.at(0))
        }
        for sequenceNumber in UInt16(1_000)..<1_050 { store(sequenceNumber) }
        for sequenceNumber in (UInt16(900)..<1_000).reversed() { store(sequenceNumber) }
        for sequenceNumber in UInt16(1_050)..<1_200 { store(sequenceNumber) }
        XCTAssertEqual(buffer.count, 300)
        store(1_200)
        XCTAssertEqual(buffer.count, 300, "still bounded by maxItems")
        XCTAssertNil(buffer.packet(for: 900, now: StreamTestTime.at(0)), "the oldest made room")
        for sequenceNumber in UInt16(901)...1_200 {
            XCTAssertEqual(
                buffer.packet(for: sequenceNumber, now: StreamTestTime.at(0))?.timestamp, UInt32(sequenceNumber) * 10)
        }
    }

    func testLatePacketFillsItsSlotAndDuplicatesAreIgnored() {
        var buffer = videoBuffer()
        insert(&buffer, [10, 12])
        insert(&buffer, [11])
        insert(&buffer, [8])
        buffer.insert(StreamTestPackets.packet(sequenceNumber: 12, timestamp: 36_000, payloadSize: 5), now: StreamTestTime.at(0))
        XCTAssertEqual(buffer.count, 4)
        XCTAssertEqual(buffer.packet(for: 12, now: StreamTestTime.at(0))?.payloadLength, 100)
        XCTAssertNotNil(buffer.packet(for: 11, now: StreamTestTime.at(0)))
        XCTAssertNotNil(buffer.packet(for: 8, now: StreamTestTime.at(0)))
        XCTAssertNil(buffer.packet(for: 9, now: StreamTestTime.at(0)))
    }

    func testSequenceNumberHalfTheSpaceAwayIsIgnored() {
        var buffer = videoBuffer()
        insert(&buffer, [0])
        // Neither higher nor lower than 0 in serial-number order.
        buffer.insert(StreamTestPackets.packet(sequenceNumber: 32_768, timestamp: 0), now: StreamTestTime.at(0))
        XCTAssertEqual(buffer.count, 1)
        XCTAssertNil(buffer.packet(for: 32_768, now: StreamTestTime.at(0)))
        XCTAssertNotNil(buffer.packet(for: 0, now: StreamTestTime.at(0)))
    }

    func testRestartedStreamEmptiesTheBuffer() {
        var buffer = videoBuffer()
        insert(&buffer, [500, 501])
        buffer.insert(StreamTestPackets.packet(sequenceNumber: 3, timestamp: 9_000_000), now: StreamTestTime.at(0))
        XCTAssertEqual(buffer.count, 1)
        XCTAssertNotNil(buffer.packet(for: 3, now: StreamTestTime.at(0)))
    }

    func testNackIsAnsweredInOrderAndCounted() {
        var buffer = videoBuffer()
        insert(&buffer, Array(100...110))
        let nack = GenericNack(
            senderSsrc: 1, mediaSsrc: 0x1111, items: [GenericNack.Item(packetId: 100, lostPacketBitmask: 0b101)])
        let packets = buffer.receiveNack(nack, now: StreamTestTime.at(5))
        XCTAssertEqual(packets.map(\.sequenceNumber), [100, 101, 103])
        XCTAssertEqual(buffer.nackCount, 1)
        XCTAssertEqual(buffer.nackPacketCount, 3)
        XCTAssertEqual(buffer.packetsRetransmitted, 3)
    }

    func testRtxSequencerNumbersRetransmissionsOnItsOwnStream() {
        var rtx = RtxSequencer(payloadType: 97, ssrc: 0x2222, firstSequenceNumber: 65_535)
        let first = rtx.encapsulate(StreamTestPackets.packet(sequenceNumber: 40, timestamp: 1))
        let second = rtx.encapsulate(StreamTestPackets.packet(sequenceNumber: 41, timestamp: 1))
        XCTAssertEqual([first.sequenceNumber, second.sequenceNumber], [65_535, 0])
        XCTAssertEqual([first.rtxOriginalSequenceNumber, second.rtxOriginalSequenceNumber], [40, 41])
        XCTAssertEqual(first.ssrc, 0x2222)
        XCTAssertEqual(first.payloadType, 97)
        XCTAssertEqual(rtx.nextSequenceNumber, 1)
    }
}
