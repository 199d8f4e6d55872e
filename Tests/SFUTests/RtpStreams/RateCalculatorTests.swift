import NIOCore
import XCTest

@testable import SFU

final class RateCalculatorTests: XCTestCase {
    func testBitrateCoversTheLastSecond() {
        var calculator = RateCalculator()
        calculator.update(bytes: 1000, now: StreamTestTime.at(0))
        calculator.update(bytes: 1000, now: StreamTestTime.at(500))
        XCTAssertEqual(calculator.rate(now: StreamTestTime.at(900)), 16_000)
        XCTAssertEqual(calculator.rate(now: StreamTestTime.at(1000)), 8000, "the first bytes slid out")
        XCTAssertEqual(calculator.rate(now: StreamTestTime.at(1600)), 0)
    }

    func testEmptyCalculatorReadsZero() {
        XCTAssertEqual(RateCalculator().rate(now: StreamTestTime.at(0)), 0)
    }

    func testLongerWindowAveragesOverItsLength() {
        var calculator = RateCalculator(window: .milliseconds(2500))
        for step in 0..<25 {
            calculator.update(bytes: 125, now: StreamTestTime.at(Int64(step) * 100))
        }
        XCTAssertEqual(calculator.rate(now: StreamTestTime.at(2450)), 10_000)
    }

    func testBucketsAreReusedAfterTheWindowSlides() {
        var calculator = RateCalculator()
        calculator.update(bytes: 500, now: StreamTestTime.at(0))
        calculator.update(bytes: 250, now: StreamTestTime.at(1000))
        XCTAssertEqual(calculator.rate(now: StreamTestTime.at(1000)), 2000)
    }

    /// A frame's packets within one 10 ms bucket count together, and the bucket still slides
    /// out on time.
    func testUpdatesWithinOneBucketAddUpAndSlideOutTogether() {
        var calculator = RateCalculator(bucketCount: 100)
        for offset in [0, 2, 4, 9] { calculator.update(bytes: 100, now: StreamTestTime.at(Int64(offset))) }
        calculator.update(bytes: 100, now: StreamTestTime.at(10))
        calculator.update(bytes: 100, now: StreamTestTime.at(12))
        XCTAssertEqual(calculator.rate(now: StreamTestTime.at(999)), 4800)
        XCTAssertEqual(calculator.rate(now: StreamTestTime.at(1000)), 1600, "the first bucket slid out whole")
        calculator.update(bytes: 100, now: StreamTestTime.at(1005))
        XCTAssertEqual(calculator.rate(now: StreamTestTime.at(1005)), 2400)
        XCTAssertEqual(calculator.rate(now: StreamTestTime.at(1010)), 800)
    }
}
