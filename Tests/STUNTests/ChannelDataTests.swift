import NIOCore
import XCTest

@testable import STUN

final class ChannelDataTests: XCTestCase {
    private let payload = ByteBuffer(bytes: Array("hello".utf8))

    func testUnpaddedRoundTripForUDP() throws {
        let message = try XCTUnwrap(ChannelData(channelNumber: 0x4001, payload: self.payload))
        var buffer = ByteBuffer()

        message.encode(into: &buffer, padded: false)

        XCTAssertEqual(buffer.bytes, [0x40, 0x01, 0x00, 0x05] + Array("hello".utf8))
        XCTAssertEqual(message.encodedLength(padded: false), 9)
        XCTAssertEqual(try ChannelData(decoding: buffer), message)
    }

    func testPaddedRoundTripForTCP() throws {
        let message = try XCTUnwrap(ChannelData(channelNumber: 0x7FFF, payload: self.payload))
        var buffer = ByteBuffer()

        message.encode(into: &buffer, padded: true)

        XCTAssertEqual(buffer.readableBytes, 12)
        XCTAssertEqual(message.encodedLength(padded: true), 12)
        XCTAssertEqual(buffer.bytes.suffix(3), [0, 0, 0])
        let decoded = try ChannelData(decoding: buffer)
        XCTAssertEqual(decoded.payload, self.payload)
        XCTAssertEqual(decoded.channelNumber, 0x7FFF)
    }

    func testEmptyPayloadNeedsNoPadding() throws {
        let message = try XCTUnwrap(ChannelData(channelNumber: 0x4000, payload: ByteBuffer()))
        var buffer = ByteBuffer()

        message.encode(into: &buffer, padded: true)

        XCTAssertEqual(buffer.bytes, [0x40, 0x00, 0x00, 0x00])
        XCTAssertEqual(try ChannelData(decoding: buffer), message)
    }

    func testChannelNumbersOutsideTheRFC5766RangeAreRefused() {
        XCTAssertNil(ChannelData(channelNumber: 0x3FFF, payload: self.payload))
        XCTAssertNil(ChannelData(channelNumber: 0x8000, payload: self.payload))
        XCTAssertNotNil(ChannelData(channelNumber: 0x5000, payload: self.payload))
        XCTAssertThrowsError(try ChannelData(decoding: ByteBuffer(bytes: [0x80, 0x00, 0x00, 0x00]))) { error in
            XCTAssertEqual(error as? ChannelDataParseError, .invalidChannelNumber(0x8000))
        }
        XCTAssertThrowsError(try ChannelData(decoding: ByteBuffer(bytes: [0x00, 0x01, 0x00, 0x00]))) { error in
            XCTAssertEqual(error as? ChannelDataParseError, .invalidChannelNumber(0x0001))
        }
    }

    func testOversizedPayloadIsRefused() {
        XCTAssertNil(ChannelData(channelNumber: 0x4000, payload: ByteBuffer(repeating: 0, count: 65_536)))
    }

    func testTruncatedAndOverlongFramesAreErrors() {
        XCTAssertThrowsError(try ChannelData(decoding: ByteBuffer(bytes: [0x40, 0x00, 0x00]))) { error in
            XCTAssertEqual(error as? ChannelDataParseError, .truncatedHeader(available: 3))
        }
        XCTAssertThrowsError(try ChannelData(decoding: ByteBuffer(bytes: [0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4]))) { error in
            XCTAssertEqual(error as? ChannelDataParseError, .lengthMismatch(declared: 5, available: 4))
        }
        XCTAssertThrowsError(try ChannelData(decoding: ByteBuffer(bytes: [0x40, 0x00, 0x00, 0x01, 1, 0, 0, 0, 0]))) { error in
            XCTAssertEqual(error as? ChannelDataParseError, .lengthMismatch(declared: 1, available: 5))
        }
    }
}
