import NIOCore
import XCTest

@testable import SFU

final class KeyFrameRequestManagerTests: XCTestCase {
    private let ssrc: UInt32 = 0xAAAA

    func testSecondRequestWithinOneSecondIsHeldUntilTheSecondEnds() {
        var manager = KeyFrameRequestManager()
        XCTAssertTrue(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(0)))
        manager.keyFrameReceived(ssrc: ssrc)
        XCTAssertFalse(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(500)))
        XCTAssertEqual(manager.nextTimeout, StreamTestTime.at(1000))
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(999)), [])
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(1000)), [ssrc])
    }

    func testRequestAfterOneSecondIsSentAtOnce() {
        var manager = KeyFrameRequestManager()
        XCTAssertTrue(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(0)))
        manager.keyFrameReceived(ssrc: ssrc)
        XCTAssertTrue(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(1000)))
    }

    func testRequestIsRepeatedOnceWhenNoKeyFrameArrives() {
        var manager = KeyFrameRequestManager()
        XCTAssertTrue(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(0)))
        XCTAssertEqual(manager.nextTimeout, StreamTestTime.at(0) + KeyFrameRequestManager.keyFrameRetransmissionWaitTime)
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(1000)), [ssrc])
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(2000)), [], "repeated once, then given up")
        XCTAssertNil(manager.nextTimeout)
    }

    func testRequestsWhileWaitingAreMergedIntoOneRepeat() {
        var manager = KeyFrameRequestManager()
        XCTAssertTrue(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(0)))
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(1000)), [ssrc])
        XCTAssertFalse(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(1500)))
        XCTAssertFalse(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(1600)))
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(2000)), [ssrc])
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(3000)), [])
    }

    func testKeyFrameCancelsTheRepeat() {
        var manager = KeyFrameRequestManager()
        XCTAssertTrue(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(0)))
        manager.keyFrameReceived(ssrc: ssrc)
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(1000)), [])
    }

    func testLongerConfiguredDelaySpacesRequestsFurther() {
        var manager = KeyFrameRequestManager(keyFrameRequestDelay: .seconds(3))
        XCTAssertTrue(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(0)))
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(1000)), [], "the repeat also waits for the delay")
        XCTAssertFalse(manager.requestKeyFrame(ssrc: ssrc, now: StreamTestTime.at(2000)))
        XCTAssertEqual(manager.nextTimeout, StreamTestTime.at(3000))
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(3000)), [ssrc])
    }

    func testDelayIsAtLeastOneSecond() {
        XCTAssertEqual(KeyFrameRequestManager(keyFrameRequestDelay: .milliseconds(200)).keyFrameRequestDelay, .seconds(1))
    }

    func testStreamsAreThrottledIndependently() {
        var manager = KeyFrameRequestManager()
        XCTAssertTrue(manager.requestKeyFrame(ssrc: 1, now: StreamTestTime.at(0)))
        XCTAssertTrue(manager.requestKeyFrame(ssrc: 2, now: StreamTestTime.at(10)))
        XCTAssertFalse(manager.requestKeyFrame(ssrc: 1, now: StreamTestTime.at(20)))
        XCTAssertEqual(manager.poll(now: StreamTestTime.at(1010)), [1, 2])
    }
}
