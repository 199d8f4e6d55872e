import NIOCore
import XCTest
@testable import SFU

/// When a transport announces its incoming bitrate limit (REMB): at once when set, every
/// 1.5 s while set, and four times "no limit" when lifted.
final class IncomingBitrateLimitTests: XCTestCase {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    private func at(_ milliseconds: Int64) -> NIODeadline { start + .milliseconds(milliseconds) }

    func testNoLimitIsNeverAnnounced() {
        var limit = IncomingBitrateLimit()
        XCTAssertNil(limit.announcement(now: at(0)))
        XCTAssertNil(limit.announcement(now: at(10_000)))
    }

    func testALimitIsAnnouncedAtOnceThenEveryIntervalAndAtOnceWhenChanged() {
        var limit = IncomingBitrateLimit()
        limit.set(1_500_000)
        XCTAssertEqual(limit.announcement(now: at(0)), 1_500_000)
        XCTAssertNil(limit.announcement(now: at(1_000)))
        XCTAssertEqual(limit.announcement(now: at(1_500)), 1_500_000)
        limit.set(800_000)
        XCTAssertEqual(limit.announcement(now: at(1_540)), 800_000)
        limit.set(800_000)
        XCTAssertNil(limit.announcement(now: at(1_580)), "setting the same limit again announced it early")
    }

    func testLiftingTheLimitIsAnnouncedFourTimes() {
        var limit = IncomingBitrateLimit()
        limit.set(1_000_000)
        _ = limit.announcement(now: at(0))
        limit.set(0)
        var announced: [Int] = []
        for step in 0..<20 {
            if let bitrate = limit.announcement(now: at(100 + Int64(step) * 500)) { announced.append(bitrate) }
        }
        XCTAssertEqual(announced, [0, 0, 0, 0])
        XCTAssertEqual(limit.bitrate, 0)
    }
}
