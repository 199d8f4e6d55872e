import NIOCore
import XCTest
@testable import SFU

final class DataChannelControlMessageTests: XCTestCase {
    func testOpenRoundTripsWithRfc8832Layout() throws {
        let open = DataChannelControlMessage.Open(
            channelType: 0x81, priority: 256, reliabilityParameter: 3, label: "chat", protocol: "json")
        let encoded = DataChannelControlMessage.open(open).encoded()
        XCTAssertEqual(
            Array(encoded.readableBytesView),
            [0x03, 0x81, 0x01, 0x00, 0, 0, 0, 3, 0, 4, 0, 4] + Array("chat".utf8) + Array("json".utf8))
        XCTAssertEqual(DataChannelControlMessage(encoded), .open(open))
        XCTAssertFalse(open.ordered)
        XCTAssertEqual(Array(DataChannelControlMessage.ack.encoded().readableBytesView), [0x02])
        XCTAssertEqual(DataChannelControlMessage(ByteBuffer(bytes: [0x02])), .ack)
    }

    func testMalformedMessagesParseToNil() {
        XCTAssertNil(DataChannelControlMessage(ByteBuffer()))
        XCTAssertNil(DataChannelControlMessage(ByteBuffer(bytes: [0x07])))
        // A label length running past the end.
        XCTAssertNil(DataChannelControlMessage(ByteBuffer(bytes: [0x03, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0x61])))
        XCTAssertNil(DataChannelControlMessage(ByteBuffer(bytes: [0x03, 0, 0])))
    }
}
