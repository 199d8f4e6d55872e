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
}
