import XCTest

@testable import SFU

final class AcknowledgedBitrateTests: XCTestCase {
    /// 1,000-byte packets every `spacing` µs from `start` on.
    private func feed(_ bitrate: inout AcknowledgedBitrate, count: Int, from start: Int64, spacing: Int64 = 1000) {
        for index in 0..<Int64(count) { bitrate.add(arrivalTime: start + index * spacing, size: 1000) }
    }

    func testBitrateOverTheLastHalfSecond() throws {
        var bitrate = AcknowledgedBitrate()
        feed(&bitrate, count: 1000, from: 0)
        XCTAssertEqual(try XCTUnwrap(bitrate.bitrate), 8_000_000, accuracy: 100_000)
    }

    func testAClockThatGoesBackStartsAfresh() throws {
        var bitrate = AcknowledgedBitrate()
        // A receiver's reference time far ahead once, then back at zero: the window must not
        // keep every arrival after it for ever.
        bitrate.add(arrivalTime: 500_000_000_000, size: 1000)
        feed(&bitrate, count: 1000, from: 0)
        XCTAssertEqual(try XCTUnwrap(bitrate.bitrate), 8_000_000, accuracy: 100_000)
    }

    func testArrivalsInOneInstantAreCapped() {
        var bitrate = AcknowledgedBitrate()
        feed(&bitrate, count: AcknowledgedBitrate.capacity * 3, from: 0, spacing: 0)
        XCTAssertNil(bitrate.bitrate, "no span, no figure")
        XCTAssertLessThanOrEqual(bitrate.count, AcknowledgedBitrate.capacity)
    }
}
