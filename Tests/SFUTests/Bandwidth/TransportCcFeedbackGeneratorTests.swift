import XCTest
@testable import SFU

/// The transport-cc feedback a transport sends about the packets it received: every sequence
/// number reported once, arrival times to the 250 µs tick, gaps reported lost.
final class TransportCcFeedbackGeneratorTests: XCTestCase {
    private var generator = TransportCcFeedbackGenerator()

    /// What a sender learns from `feedback`: each sequence number with its arrival time (relative
    /// to the first reported arrival, in µs) or nil when reported lost.
    private func results(_ feedback: [TransportWideCcFeedback]) -> [(UInt16, Int64?)] {
        let all = feedback.flatMap(\.packetResults)
        let origin = all.compactMap(\.arrivalTime).first ?? 0
        return all.map { ($0.sequenceNumber, $0.arrivalTime.map { $0 - origin }) }
    }

    private func arrive(_ sequenceNumber: UInt16, at time: Int64) {
        generator.packetArrived(sequenceNumber: sequenceNumber, ssrc: 1234, arrivalTime: time)
    }

    func testNothingArrivedMeansNoFeedback() {
        XCTAssertTrue(generator.takeFeedback(senderSsrc: 1).isEmpty)
    }

    func testReportsEveryArrivalWithItsTime() throws {
        for index in 0..<10 { arrive(UInt16(100 + index), at: 5_000_000 + Int64(index) * 1_000) }
        let feedback = generator.takeFeedback(senderSsrc: 99)
        XCTAssertEqual(feedback.count, 1)
        let report = try XCTUnwrap(feedback.first)
        XCTAssertEqual(report.senderSsrc, 99)
        XCTAssertEqual(report.mediaSsrc, 1234)
        XCTAssertEqual(report.baseSequenceNumber, 100)
        XCTAssertEqual(report.packetStatusCount, 10)
        let reported = results(feedback)
        XCTAssertEqual(reported.map(\.0), Array(100..<110))
        XCTAssertEqual(reported.map(\.1), (0..<10).map { Int64($0) * 1_000 })
        XCTAssertTrue(generator.takeFeedback(senderSsrc: 99).isEmpty, "the same arrivals were reported twice")
    }

    func testGapsAreReportedLostAndTheNextFeedbackFollowsOn() {
        arrive(10, at: 1_000_000)
        arrive(13, at: 1_002_000)
        arrive(12, at: 1_001_000)
        let first = results(generator.takeFeedback(senderSsrc: 1))
        XCTAssertEqual(first.map(\.0), [10, 11, 12, 13])
        XCTAssertEqual(first.map(\.1), [0, nil, 1_000, 2_000])

        // 11 arrives after it was reported lost: it stays lost. 14 was lost on the way.
        arrive(11, at: 1_100_000)
        arrive(15, at: 1_101_000)
        arrive(15, at: 1_101_500)
        let second = generator.takeFeedback(senderSsrc: 1)
        XCTAssertEqual(second.first?.baseSequenceNumber, 14)
        XCTAssertEqual(results(second).map(\.0), [14, 15])
        XCTAssertEqual(results(second).map { $0.1 == nil }, [true, false])
        XCTAssertEqual(second.first?.feedbackPacketCount, 1, "feedback packets are counted")
    }

    func testSequenceNumbersWrap() {
        arrive(65534, at: 0)
        arrive(65535, at: 250)
        arrive(0, at: 500)
        arrive(1, at: 750)
        XCTAssertEqual(results(generator.takeFeedback(senderSsrc: 1)).map(\.0), [65534, 65535, 0, 1])
        arrive(2, at: 1_000)
        XCTAssertEqual(results(generator.takeFeedback(senderSsrc: 1)).map(\.0), [2])
    }

    func testManyArrivalsAreSplitOverFeedbackPacketsWithoutAGap() {
        let count = TransportCcFeedbackGenerator.maximumPacketsPerFeedback * 2 + 50
        for index in 0..<count { arrive(UInt16(index), at: Int64(index) * 500) }
        let feedback = generator.takeFeedback(senderSsrc: 1)
        XCTAssertEqual(feedback.count, 3)
        XCTAssertEqual(feedback.map(\.feedbackPacketCount), [0, 1, 2])
        XCTAssertEqual(results(feedback).map(\.0), (0..<count).map { UInt16($0) })
        XCTAssertTrue(results(feedback).allSatisfy { $0.1 != nil })
        XCTAssertTrue(feedback.allSatisfy { Int($0.packetStatusCount) <= TransportCcFeedbackGenerator.maximumPacketsPerFeedback })
    }

    func testALongSilenceIsNotDescribedPacketByPacket() {
        arrive(1, at: 0)
        _ = generator.takeFeedback(senderSsrc: 1)
        arrive(5_001, at: 10_000_000)
        let feedback = generator.takeFeedback(senderSsrc: 1)
        XCTAssertEqual(feedback.first?.baseSequenceNumber, 5_001)
        XCTAssertEqual(feedback.first?.packetStatusCount, 1)
    }

    func testScatteredSequenceNumbersGetABoundedAnswer() {
        // Each arrival too far from the one before to share a feedback: a peer trying to make
        // the server send many packets back.
        var sequenceNumber: UInt16 = 0
        for index in 0..<1_000 {
            arrive(sequenceNumber, at: Int64(index) * 10)
            sequenceNumber &+= UInt16(TransportCcFeedbackGenerator.maximumPacketsPerFeedback + 1)
        }
        let feedback = generator.takeFeedback(senderSsrc: 1)
        XCTAssertEqual(feedback.count, TransportCcFeedbackGenerator.maximumFeedbackPerReport)
        XCTAssertTrue(generator.takeFeedback(senderSsrc: 1).isEmpty, "the rest was kept for later")
    }

    func testAnySequenceOfSequenceNumbersGivesFeedbackThatSerializes() throws {
        // Sequence numbers are the peer's to choose: random ones, runs, repeats and jumps.
        var random = SystemRandomNumberGenerator()
        var time: Int64 = 1_000_000
        var sequenceNumber = UInt16.random(in: 0...UInt16.max, using: &random)
        for round in 0..<200 {
            for _ in 0..<Int.random(in: 0...300, using: &random) {
                switch Int.random(in: 0..<4, using: &random) {
                case 0: sequenceNumber = UInt16.random(in: 0...UInt16.max, using: &random)
                case 1: sequenceNumber &+= UInt16.random(in: 0...3, using: &random)
                case 2: sequenceNumber &-= UInt16.random(in: 0...50, using: &random)
                default: sequenceNumber &+= 1
                }
                time += Int64.random(in: 0...5_000, using: &random)
                arrive(sequenceNumber, at: time)
            }
            let feedback = generator.takeFeedback(senderSsrc: 1)
            XCTAssertLessThanOrEqual(feedback.count, TransportCcFeedbackGenerator.maximumFeedbackPerReport)
            for report in feedback {
                let serialized = try RtcpCompoundPacket([.transportWideCcFeedback(report)]).serialized()
                let parsed = try RtcpCompoundPacket(parsing: serialized)
                XCTAssertEqual(parsed.packets.count, 1, "round \(round)")
            }
            time += 100_000
        }
    }
}
