import XCTest

@testable import SFU

final class SrtpReplayWindowTests: XCTestCase {
    func testFreshDuplicateAndTooOld() {
        var window = SrtpReplayWindow(size: 128)
        XCTAssertEqual(window.check(0), .fresh, "nothing accepted yet, index 0 included")
        window.accept(0)
        XCTAssertEqual(window.check(0), .replayed)
        window.accept(200)
        XCTAssertEqual(window.highestIndex, 200)
        XCTAssertEqual(window.check(200), .replayed)
        XCTAssertEqual(window.check(73), .fresh, "127 behind is still inside")
        XCTAssertEqual(window.check(72), .tooOld, "128 behind is outside")
        XCTAssertEqual(window.check(201), .fresh)
        window.accept(150)
        XCTAssertEqual(window.check(150), .replayed)
        XCTAssertEqual(window.check(151), .fresh)
    }

    func testAdvancingClearsStaleBits() {
        var window = SrtpReplayWindow(size: 64)
        for index in UInt64(0)..<64 { window.accept(index) }
        window.accept(100)  // indices 64...99 map onto the bits of 0...35
        for index in UInt64(64)..<100 { XCTAssertEqual(window.check(index), .fresh, "\(index)") }
        XCTAssertEqual(window.check(100), .replayed)
        XCTAssertEqual(window.check(36), .tooOld)
        window.accept(10_000)
        XCTAssertEqual(window.check(9_999), .fresh)
        XCTAssertEqual(window.check(9_936), .tooOld)
    }

    func testRestartForgetsHistory() {
        var window = SrtpReplayWindow(size: 128)
        window.accept(5_000)
        window.restart(at: 10)
        XCTAssertEqual(window.highestIndex, 10)
        XCTAssertEqual(window.check(10), .replayed)
        XCTAssertEqual(window.check(9), .fresh)
    }
}
