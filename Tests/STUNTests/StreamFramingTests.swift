import NIOCore
import XCTest

@testable import STUN

final class StreamFramingTests: XCTestCase {
    func testStreamOfSTUNAndPaddedChannelDataSplitsIntoFrames() throws {
        let stun = try StunMessage(
            messageType: StunMessageType(method: .refresh, messageClass: .request), attributes: [.lifetime(0)]
        ).encoded()
        let channelData = try XCTUnwrap(ChannelData(channelNumber: 0x4001, payload: ByteBuffer(bytes: [1, 2, 3, 4, 5])))
        var stream = ByteBuffer()
        channelData.encode(into: &stream, padded: true)
        stream.writeImmutableBuffer(stun)
        stream.writeBytes(RFC5769.sampleRequest.prefix(10))

        var frames: [ByteBuffer] = []
        while let length = try StreamFraming.frameLength(in: stream), stream.readableBytes >= length {
            frames.append(try XCTUnwrap(stream.readSlice(length: length)))
        }

        XCTAssertEqual(frames.count, 2)
        XCTAssertEqual(try ChannelData(decoding: frames[0]), channelData)
        XCTAssertEqual(try StunMessage(decoding: frames[1]).lifetime, 0)
        XCTAssertEqual(stream.readableBytes, 10)
        XCTAssertEqual(try StreamFraming.frameLength(in: stream), RFC5769.sampleRequest.count)
    }

    func testFewerThanFourBytesIsNotYetAFrame() throws {
        XCTAssertNil(try StreamFraming.frameLength(in: ByteBuffer()))
        XCTAssertNil(try StreamFraming.frameLength(in: ByteBuffer(bytes: [0x40, 0x00, 0x00])))
        XCTAssertEqual(try StreamFraming.frameLength(in: ByteBuffer(bytes: [0x40, 0x00, 0x00, 0x05])), 12)
        XCTAssertEqual(try StreamFraming.frameLength(in: ByteBuffer(bytes: [0x40, 0x00, 0x00, 0x00])), 4)
    }

    func testStreamsThatCannotBeTURNAreErrors() {
        XCTAssertThrowsError(try StreamFraming.frameLength(in: ByteBuffer(bytes: [0x80, 0, 0, 0]))) { error in
            XCTAssertEqual(error as? StunParseError, .notStun(firstByte: 0x80))
        }
        XCTAssertThrowsError(try StreamFraming.frameLength(in: ByteBuffer(bytes: [0x00, 0x01, 0x00, 0x02]))) { error in
            XCTAssertEqual(error as? StunParseError, .lengthNotMultipleOfFour(2))
        }
    }
}
