import XCTest

@testable import SFU

final class SeqManagerTests: XCTestCase {
    func testOutputsAreContinuousFromTheInitialOutput() {
        var manager = SeqManager(initialOutput: 100)
        XCTAssertEqual([5000, 5001, 5002].map { manager.input($0) }, [100, 101, 102])
        XCTAssertEqual(manager.maxOutput, 102)
    }

    func testSyncContinuesRightAfterTheLastOutput() {
        var manager = SeqManager(initialOutput: 100)
        _ = [5000, 5001, 5002].map { manager.input($0) }
        manager.sync(20_000)
        XCTAssertEqual(manager.input(20_000), 103)
        XCTAssertEqual(manager.input(20_001), 104)
    }

    func testInputsOlderThanTheSyncPointAreRefused() {
        var manager = SeqManager(initialOutput: 0)
        _ = manager.input(5000)
        manager.sync(20_000)
        XCTAssertEqual(manager.input(20_000), 1)
        XCTAssertNil(manager.input(19_999))
        XCTAssertNil(manager.input(19_000))
    }

    func testDroppedInputLeavesNoGapAndIsNeverSent() {
        var manager = SeqManager(initialOutput: 10)
        XCTAssertEqual(manager.input(500), 10)
        XCTAssertEqual(manager.input(501), 11)
        manager.drop(502)
        XCTAssertEqual(manager.input(503), 12)
        XCTAssertNil(manager.input(502))
        XCTAssertEqual(manager.input(504), 13)
    }

    func testLateInputsAroundADropKeepTheirOwnSlot() {
        var manager = SeqManager(initialOutput: 0)
        XCTAssertEqual(manager.input(1), 0)
        XCTAssertEqual(manager.input(2), 1)
        XCTAssertEqual(manager.input(4), 3, "3 is missing so far: its slot stays free")
        manager.drop(5)
        XCTAssertEqual(manager.input(3), 2, "the late packet fills the slot left for it")
        XCTAssertEqual(manager.input(6), 4, "the dropped 5 leaves no gap")
        XCTAssertEqual(manager.maxOutput, 4)
    }

    func testInputAndOutputWrapAround() {
        var manager = SeqManager(initialOutput: 65_534)
        XCTAssertEqual(manager.input(65_533), 65_534)
        XCTAssertEqual(manager.input(65_534), 65_535)
        manager.drop(65_535)
        XCTAssertEqual(manager.input(0), 0)
        XCTAssertEqual(manager.input(1), 1)
        manager.sync(40_000)
        XCTAssertEqual(manager.input(40_000), 2)
    }

    func testManyDropsKeepOutputsContinuous() {
        var manager = SeqManager(initialOutput: 0)
        var expected: UInt16 = 0
        var input: UInt16 = 60_000
        for index in 0..<20_000 {
            if index % 3 == 0 {
                manager.drop(input)
            } else {
                XCTAssertEqual(manager.input(input), expected)
                expected &+= 1
            }
            input &+= 1
        }
    }

    func testInputsBeyondTheMisorderWindowAreRefused() {
        var manager = SeqManager(initialOutput: 0)
        _ = manager.input(1000)
        _ = manager.input(4000)
        XCTAssertNil(manager.input(4000 - SeqManager.maxMisorder - 1))
        XCTAssertEqual(manager.input(4000 - SeqManager.maxMisorder), 3000 - SeqManager.maxMisorder)
    }

    func testSerialNumberOrderAcrossWrapAround() {
        XCTAssertTrue(SeqManager.isSeqHigher(UInt16(1), than: 65_535))
        XCTAssertTrue(SeqManager.isSeqLower(UInt16(65_535), than: 1))
        XCTAssertFalse(SeqManager.isSeqHigher(UInt16(7), than: 7))
        XCTAssertTrue(SeqManager.isSeqHigher(UInt32(5), than: UInt32.max - 5))
        XCTAssertFalse(SeqManager.isSeqHigher(UInt32(0x8000_0001), than: 0))
    }
}
