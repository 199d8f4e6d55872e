import NIOCore
import XCTest

@testable import SFU

final class GenericNackTests: XCTestCase {
    func testItemExpandsPacketIdAndBitmask() {
        XCTAssertEqual(GenericNack.Item(packetId: 100, lostPacketBitmask: 0b101).sequenceNumbers, [100, 101, 103])
        XCTAssertEqual(GenericNack.Item(packetId: 7).sequenceNumbers, [7])
        XCTAssertEqual(GenericNack.Item(packetId: 65535, lostPacketBitmask: 0x8001).sequenceNumbers, [65535, 0, 15])
    }

    func testBuildsFewestItemsFromSortedLostSequenceNumbers() {
        let nack = GenericNack(senderSsrc: 1, mediaSsrc: 2, lostSequenceNumbers: [100, 101, 103, 116, 117, 118, 200])
        XCTAssertEqual(
            nack.items,
            [
                GenericNack.Item(packetId: 100, lostPacketBitmask: 0b1000_0000_0000_0101),
                GenericNack.Item(packetId: 117, lostPacketBitmask: 0b1),
                GenericNack.Item(packetId: 200, lostPacketBitmask: 0),
            ])
        XCTAssertEqual(nack.lostSequenceNumbers, [100, 101, 103, 116, 117, 118, 200])
    }

    func testBuildHandlesSequenceWrapAndDuplicates() {
        let nack = GenericNack(senderSsrc: 1, mediaSsrc: 2, lostSequenceNumbers: [65534, 65535, 65535, 0, 1])
        XCTAssertEqual(nack.items, [GenericNack.Item(packetId: 65534, lostPacketBitmask: 0b111)])
        XCTAssertEqual(nack.lostSequenceNumbers, [65534, 65535, 0, 1])
    }

    func testOutOfOrderInputStillCoversEveryNumber() {
        let lost: [UInt16] = [50, 10, 11, 40]
        let nack = GenericNack(senderSsrc: 1, mediaSsrc: 2, lostSequenceNumbers: lost)
        XCTAssertEqual(Set(nack.lostSequenceNumbers), Set(lost))
    }

    func testLargeLossListRoundTripsThroughTheWire() throws {
        let lost = stride(from: UInt16(65000), to: UInt16(65500), by: 3).map { $0 }
        let nack = GenericNack(senderSsrc: 0xAAAA, mediaSsrc: 0xBBBB, lostSequenceNumbers: lost)
        let parsed = try RtcpCompoundPacket(parsing: try RtcpPacket.genericNack(nack).serialized())
        guard case .genericNack(let received) = parsed.packets.first else { return XCTFail("not a NACK") }
        XCTAssertEqual(received.lostSequenceNumbers, lost)
        XCTAssertEqual(received.mediaSsrc, 0xBBBB)
    }
}
