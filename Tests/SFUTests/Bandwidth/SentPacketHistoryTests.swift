import XCTest
@testable import SFU

/// The send side of transport-cc: packets numbered in order, matched to feedback once, across
/// the 16-bit wrap, and forgotten once older than a second.
final class SentPacketHistoryTests: XCTestCase {
    private func result(_ sequenceNumber: UInt16, _ arrival: Int64?) -> TransportWideCcFeedback.PacketResult {
        TransportWideCcFeedback.PacketResult(sequenceNumber: sequenceNumber, arrivalTime: arrival)
    }

    func testMatchesFeedbackToWhatWasSentOnce() {
        var history = SentPacketHistory()
        let numbers = (0..<3).map { history.add(size: 100 + $0, sendTime: Int64($0) * 1000, probeClusterId: $0 == 2 ? 7 : nil) }
        XCTAssertEqual(numbers, [1, 2, 3])
        let matched = history.match([result(1, 50_000), result(2, nil), result(3, 52_000), result(9, 1)])
        XCTAssertEqual(matched.map(\.size), [100, 101, 102])
        XCTAssertEqual(matched.map(\.sendTime), [0, 1000, 2000])
        XCTAssertEqual(matched.map(\.arrivalTime), [50_000, nil, 52_000])
        XCTAssertEqual(matched.map(\.probeClusterId), [nil, nil, 7])
        XCTAssertTrue(history.match([result(1, 50_000)]).isEmpty, "a packet was described twice")
    }

    func testFollowsTheSequenceAcrossTheWrap() {
        var history = SentPacketHistory()
        var last: UInt16 = 0
        for index in 0..<70_000 { last = history.add(size: 10, sendTime: Int64(index)) }
        XCTAssertEqual(last, UInt16(truncatingIfNeeded: 70_000))
        let matched = history.match([result(last &- 1, 5), result(last, 6)])
        XCTAssertEqual(matched.map(\.sendTime), [69_998, 69_999])
    }

    func testForgetsPacketsOlderThanASecond() {
        var history = SentPacketHistory()
        let old = history.add(size: 10, sendTime: 0)
        let recent = history.add(size: 20, sendTime: 800_000)
        _ = history.add(size: 30, sendTime: 1_100_000)
        let matched = history.match([result(old, 1), result(recent, 2)])
        XCTAssertEqual(matched.map(\.size), [20])
    }
}
