import XCTest

@testable import SFU

final class SrtpRocEstimatorTests: XCTestCase {
    private func estimate(_ sequenceNumber: UInt16, roc: UInt64, highestSequence: UInt64) -> UInt64 {
        SrtpRocEstimator.estimateIndex(sequenceNumber: sequenceNumber, highestIndex: roc << 16 | highestSequence)
    }

    func testStartOfStreamTakesRocZero() {
        XCTAssertEqual(SrtpRocEstimator.estimateIndex(sequenceNumber: 40_000, highestIndex: 0), 40_000)
        XCTAssertEqual(SrtpRocEstimator.estimateIndex(sequenceNumber: 65_535, highestIndex: 32_768), 65_535)
    }

    func testWrapForwardAndLateBeforeWrap() {
        XCTAssertEqual(estimate(5, roc: 0, highestSequence: 65_530), 1 << 16 | 5)
        XCTAssertEqual(estimate(65_530, roc: 1, highestSequence: 5), 65_530, "late packet from ROC 0")
        XCTAssertEqual(estimate(100, roc: 3, highestSequence: 50), 3 << 16 | 100)
        XCTAssertEqual(estimate(40_000, roc: 3, highestSequence: 50), 2 << 16 | 40_000)
        XCTAssertEqual(estimate(60_000, roc: 3, highestSequence: 40_000), 3 << 16 | 60_000)
        XCTAssertEqual(
            estimate(7_232, roc: 3, highestSequence: 40_000), 3 << 16 | 7_232, "2^15 behind stays in the ROC")
        XCTAssertEqual(estimate(7_231, roc: 3, highestSequence: 40_000), 4 << 16 | 7_231)
    }
}
