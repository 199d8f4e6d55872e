import XCTest

@testable import SFU

final class RtpStreamRewriterTests: XCTestCase {
    private func rewriter() -> RtpStreamRewriter {
        RtpStreamRewriter(clockRate: 90_000, initialSequenceNumber: 1000, initialTimestamp: 5000)
    }

    func testFirstPacketStartsAtTheInitialValuesAndOffsetsApplyAfterwards() throws {
        var rewriter = rewriter()
        let first = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 40_000, timestamp: 123_456, now: StreamTestTime.at(0)))
        XCTAssertEqual(first.sequenceNumber, 1000)
        XCTAssertEqual(first.timestamp, 5000)
        let second = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 40_001, timestamp: 126_456, now: StreamTestTime.at(33)))
        XCTAssertEqual(second.sequenceNumber, 1001)
        XCTAssertEqual(second.timestamp, 8000)
    }

    func testResumeAfterPauseAdvancesTimestampByElapsedWallTime() throws {
        var rewriter = rewriter()
        _ = rewriter.rewrite(sequenceNumber: 100, timestamp: 0, now: StreamTestTime.at(0))
        _ = rewriter.rewrite(sequenceNumber: 101, timestamp: 3000, now: StreamTestTime.at(33))
        // Paused for two seconds; the producer went on meanwhile (seq and ts moved on).
        rewriter.requestSync()
        let resumed = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 161, timestamp: 183_000, now: StreamTestTime.at(2033)))
        XCTAssertEqual(resumed.sequenceNumber, 1002, "no gap in the output")
        XCTAssertEqual(resumed.timestamp, 8000 + 2 * 90_000)
        let next = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 162, timestamp: 186_000, now: StreamTestTime.at(2066)))
        XCTAssertEqual(next.sequenceNumber, 1003)
        XCTAssertEqual(next.timestamp, 8000 + 2 * 90_000 + 3000)
    }

    func testSourceSwitchWithoutElapsedTimeStillMovesTimestampForward() throws {
        var rewriter = rewriter()
        _ = rewriter.rewrite(sequenceNumber: 100, timestamp: 0, now: StreamTestTime.at(0))
        rewriter.requestSync()
        let switched = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 9, timestamp: 777, now: StreamTestTime.at(0)))
        XCTAssertEqual(switched.sequenceNumber, 1001)
        XCTAssertEqual(switched.timestamp, 5001)
    }

    func testASegmentAfterACutShortFrameLeavesOneSequenceNumberUnused() throws {
        var rewriter = rewriter()
        _ = rewriter.rewrite(sequenceNumber: 100, timestamp: 0, now: StreamTestTime.at(0))
        rewriter.requestSync(leavingGap: true)
        let switched = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 9, timestamp: 777, now: StreamTestTime.at(10)))
        XCTAssertEqual(switched.sequenceNumber, 1002, "1001 is the gap")
        XCTAssertEqual(try XCTUnwrap(rewriter.rewrite(sequenceNumber: 10, timestamp: 777, now: StreamTestTime.at(10))).sequenceNumber, 1003)
        rewriter.requestSync()
        XCTAssertEqual(try XCTUnwrap(rewriter.rewrite(sequenceNumber: 50, timestamp: 900, now: StreamTestTime.at(20))).sequenceNumber, 1004)
    }

    func testSequenceAndTimestampWrapAround() throws {
        var rewriter = RtpStreamRewriter(clockRate: 48_000, initialSequenceNumber: 65_535, initialTimestamp: UInt32.max - 479)
        let first = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 10, timestamp: 0, now: StreamTestTime.at(0)))
        XCTAssertEqual(first.sequenceNumber, 65_535)
        XCTAssertEqual(first.timestamp, UInt32.max - 479)
        let second = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 11, timestamp: 960, now: StreamTestTime.at(20)))
        XCTAssertEqual(second.sequenceNumber, 0)
        XCTAssertEqual(second.timestamp, 480)
        rewriter.requestSync()
        let resumed = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 500, timestamp: 1, now: StreamTestTime.at(1020)))
        XCTAssertEqual(resumed.sequenceNumber, 1)
        XCTAssertEqual(resumed.timestamp, 480 + 48_000)
        XCTAssertEqual(rewriter.lastTimestamp, 48_480)
    }

    func testReorderedPacketsKeepTheirPlaceAndDropsLeaveNoGap() throws {
        var rewriter = rewriter()
        _ = rewriter.rewrite(sequenceNumber: 100, timestamp: 0, now: StreamTestTime.at(0))
        let third = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 102, timestamp: 3000, now: StreamTestTime.at(30)))
        let second = try XCTUnwrap(rewriter.rewrite(sequenceNumber: 101, timestamp: 3000, now: StreamTestTime.at(31)))
        XCTAssertEqual(third.sequenceNumber, 1002)
        XCTAssertEqual(second.sequenceNumber, 1001)
        XCTAssertEqual(rewriter.lastTimestamp, 8000)
        rewriter.drop(sequenceNumber: 103)
        XCTAssertEqual(rewriter.rewrite(sequenceNumber: 104, timestamp: 6000, now: StreamTestTime.at(60))?.sequenceNumber, 1003)
        XCTAssertNil(rewriter.rewrite(sequenceNumber: 103, timestamp: 6000, now: StreamTestTime.at(61)))
        XCTAssertEqual(rewriter.lastSequenceNumber, 1003)
    }

    func testPacketsFromBeforeTheSyncAreRefused() {
        var rewriter = rewriter()
        _ = rewriter.rewrite(sequenceNumber: 40_000, timestamp: 0, now: StreamTestTime.at(0))
        rewriter.requestSync()
        XCTAssertEqual(rewriter.rewrite(sequenceNumber: 7, timestamp: 50, now: StreamTestTime.at(10))?.sequenceNumber, 1001)
        XCTAssertNil(rewriter.rewrite(sequenceNumber: 40_001, timestamp: 3000, now: StreamTestTime.at(11)))
    }

    func testRandomStartComesFromTheInjectedGenerator() {
        var first = SplitMix64(seed: 7)
        var second = SplitMix64(seed: 7)
        var a = RtpStreamRewriter(clockRate: 90_000, using: &first)
        var b = RtpStreamRewriter(clockRate: 90_000, using: &second)
        let outA = a.rewrite(sequenceNumber: 1, timestamp: 1, now: StreamTestTime.at(0))
        let outB = b.rewrite(sequenceNumber: 2, timestamp: 2, now: StreamTestTime.at(0))
        XCTAssertEqual(outA?.sequenceNumber, outB?.sequenceNumber)
        XCTAssertEqual(outA?.timestamp, outB?.timestamp)
    }
}
