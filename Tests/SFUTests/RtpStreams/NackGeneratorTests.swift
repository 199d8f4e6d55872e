import NIOCore
import XCTest

@testable import SFU

final class NackGeneratorTests: XCTestCase {
    private func receive(_ generator: inout NackGenerator, _ sequenceNumber: UInt16, at milliseconds: Int64 = 0,
        isKeyFrame: Bool = false, isRecovered: Bool = false
    ) -> NackGenerator.Reception {
        generator.receivePacket(
            sequenceNumber: sequenceNumber, isKeyFrame: isKeyFrame, isRecovered: isRecovered,
            now: StreamTestTime.at(milliseconds))
    }

    /// Polls at every timeout until `end`, returning when each sequence number was NACKed.
    private func pollUntil(_ generator: inout NackGenerator, end: NIODeadline, rtt: TimeAmount?) -> [(NIODeadline, [UInt16])] {
        var sent: [(NIODeadline, [UInt16])] = []
        while let deadline = generator.nextTimeout, deadline <= end {
            let batch = generator.poll(now: deadline, rtt: rtt)
            if !batch.isEmpty { sent.append((deadline, batch)) }
        }
        return sent
    }

    func testGapIsNackedImmediately() {
        var generator = NackGenerator()
        XCTAssertEqual(receive(&generator, 100), NackGenerator.Reception())
        XCTAssertEqual(receive(&generator, 101).nackSequenceNumbers, [])
        XCTAssertEqual(receive(&generator, 104).nackSequenceNumbers, [102, 103])
        XCTAssertEqual(generator.missingSequenceNumbers, [102, 103])
        XCTAssertEqual(generator.nextTimeout, StreamTestTime.at(0) + NackGenerator.timerInterval)
    }

    func testGapAcrossWrapAround() {
        var generator = NackGenerator()
        _ = receive(&generator, 65_534)
        XCTAssertEqual(receive(&generator, 1).nackSequenceNumbers, [65_535, 0])
    }

    func testRetriesAreSpacedByTheRoundTripTime() {
        var generator = NackGenerator()
        _ = receive(&generator, 1)
        _ = receive(&generator, 3)
        let withDefault = pollUntil(&generator, end: StreamTestTime.at(300), rtt: nil)
        XCTAssertEqual(withDefault.map(\.0), [StreamTestTime.at(120), StreamTestTime.at(240)])
        XCTAssertEqual(withDefault.map(\.1), [[2], [2]])

        var slower = NackGenerator()
        _ = receive(&slower, 1)
        _ = receive(&slower, 3)
        let withRtt = pollUntil(&slower, end: StreamTestTime.at(500), rtt: .milliseconds(200))
        XCTAssertEqual(withRtt.map(\.0), [StreamTestTime.at(200), StreamTestTime.at(400)])
    }

    func testSequenceNumberIsGivenUpAfterMaxRetries() {
        var generator = NackGenerator()
        _ = receive(&generator, 1)
        var requests = receive(&generator, 3).nackSequenceNumbers.count
        requests += pollUntil(&generator, end: StreamTestTime.at(10_000), rtt: .milliseconds(50)).map(\.1.count).reduce(0, +)
        XCTAssertEqual(requests, NackGenerator.maxNackRetries)
        XCTAssertEqual(generator.missingSequenceNumbers, [])
        XCTAssertNil(generator.nextTimeout)
    }

    func testRecoveredPacketLeavesTheList() {
        var generator = NackGenerator()
        _ = receive(&generator, 100)
        _ = receive(&generator, 104)
        let repaired = receive(&generator, 102, at: 30)
        XCTAssertTrue(repaired.repairedNackedPacket)
        XCTAssertEqual(generator.missingSequenceNumbers, [101, 103])
        let retries = pollUntil(&generator, end: StreamTestTime.at(130), rtt: nil)
        XCTAssertEqual(retries.map(\.1), [[101, 103]])
        XCTAssertFalse(receive(&generator, 100, at: 140).repairedNackedPacket, "not missing: nothing repaired")
    }

    func testRtxPacketAheadOfTheStreamIsNeverNacked() {
        var generator = NackGenerator()
        _ = receive(&generator, 10)
        XCTAssertEqual(receive(&generator, 12, isRecovered: true), NackGenerator.Reception())
        XCTAssertEqual(receive(&generator, 13).nackSequenceNumbers, [11])
    }

    func testTooManyMissingClearsTheListAndRequiresAKeyFrame() {
        var generator = NackGenerator()
        _ = receive(&generator, 0)
        _ = receive(&generator, 10)
        let reception = receive(&generator, 2000)
        XCTAssertTrue(reception.keyFrameRequired)
        XCTAssertEqual(reception.nackSequenceNumbers, [])
        XCTAssertEqual(generator.missingSequenceNumbers, [])
    }

    func testOverflowFirstAbandonsLossesBeforeTheLatestKeyFrame() {
        var generator = NackGenerator()
        _ = receive(&generator, 0)
        _ = receive(&generator, 600)
        _ = receive(&generator, 601, isKeyFrame: true)
        let reception = receive(&generator, 1200)
        XCTAssertFalse(reception.keyFrameRequired)
        XCTAssertEqual(reception.nackSequenceNumbers, Array(602..<1200))
        XCTAssertEqual(generator.missingSequenceNumbers.first, 602)
    }

    func testNackItemsAreBuiltWithGenericNack() {
        var generator = NackGenerator()
        _ = receive(&generator, 1)
        let lost = receive(&generator, 40).nackSequenceNumbers
        let nack = GenericNack(senderSsrc: 0, mediaSsrc: 0x1234, lostSequenceNumbers: lost)
        XCTAssertEqual(
            nack.items,
            [
                GenericNack.Item(packetId: 2, lostPacketBitmask: 0xFFFF),
                GenericNack.Item(packetId: 19, lostPacketBitmask: 0xFFFF),
                GenericNack.Item(packetId: 36, lostPacketBitmask: 0b111),
            ])
        XCTAssertEqual(nack.lostSequenceNumbers, lost)
    }
}
