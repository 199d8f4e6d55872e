import XCTest

@testable import SFU

final class RtpStreamScoreTests: XCTestCase {
    func testScoreIsTheWeightedAverageFavouringRecentIntervals() {
        var score = RtpStreamScore()
        for value: UInt8 in [1, 2, 3, 4] { score.add(value) }
        // The initial score is not part of the history: (1·1 + 2·2 + 3·3 + 4·4) / 10 = 3.
        XCTAssertEqual(score.score, 3)
    }

    func testHistoryKeepsOnlyTheLatestIntervals() {
        var score = RtpStreamScore()
        score.add(0)
        for _ in 0..<RtpStreamScore.historyLength { score.add(10) }
        XCTAssertEqual(score.score, 10)
    }

    func testResetForgetsTheHistory() {
        var score = RtpStreamScore()
        score.add(2)
        XCTAssertTrue(score.reset(to: 0))
        XCTAssertEqual(score.score, 0)
        XCTAssertTrue(score.add(8))
        XCTAssertEqual(score.score, 8)
    }

    func testIntervalScoreFromLossAndRepairs() {
        XCTAssertEqual(RtpStreamScore.intervalScore(packets: 100, lost: 0, repaired: 0, retransmitted: 0), 10)
        // (80 - 20) / 80 = 0.75; 0.75^4 × 10 = 3.16.
        XCTAssertEqual(RtpStreamScore.intervalScore(packets: 80, lost: 20, repaired: 0, retransmitted: 0), 3)
        // Repairs weigh (1 / 1.25)^4 × 20/20 = 0.4096: 20 - 8.19 leaves 11 lost; (69 / 80)^4 × 10 = 5.53.
        XCTAssertEqual(RtpStreamScore.intervalScore(packets: 80, lost: 20, repaired: 20, retransmitted: 20), 6)
        XCTAssertEqual(RtpStreamScore.intervalScore(packets: 10, lost: 50, repaired: 0, retransmitted: 0), 0)
        XCTAssertEqual(RtpStreamScore.intervalScore(packets: 0, lost: 5, repaired: 0, retransmitted: 0), 0)
    }
}
