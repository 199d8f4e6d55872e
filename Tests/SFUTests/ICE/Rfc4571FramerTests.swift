import NIOCore
import XCTest

@testable import SFU

final class Rfc4571FramerTests: XCTestCase {
    private let packets: [ByteBuffer] = [
        ByteBuffer(bytes: [0x00, 0x01, 0x00, 0x00] + Array(repeating: 0xAB, count: 16)),
        ByteBuffer(bytes: Array(repeating: 0x80, count: 300)),
        ByteBuffer(bytes: [0x16, 0xFE, 0xFD]),
    ]

    private func stream(of packets: [ByteBuffer]) throws -> ByteBuffer {
        var stream = ByteBuffer()
        for packet in packets {
            try Rfc4571Framer.frame(packet, into: &stream)
        }
        return stream
    }

    /// The packets at the front of `read`, taken out as a connection does after each read.
    private func drain(_ read: inout ByteBuffer) -> [ByteBuffer] {
        var received: [ByteBuffer] = []
        while let packet = Rfc4571Framer.takePacket(from: &read) {
            received.append(packet)
        }
        return received
    }

    func testFramePrefixesTheBigEndianLength() throws {
        let framed = try Rfc4571Framer.framed(ByteBuffer(bytes: Array(repeating: 7, count: 258)))

        XCTAssertEqual(framed.readableBytes, 260)
        XCTAssertEqual(framed.getInteger(at: 0, as: UInt16.self), 258)
        XCTAssertEqual(framed.getBytes(at: 2, length: 258), Array(repeating: 7, count: 258))
    }

    func testCoalescedReadYieldsEveryPacketInOrder() throws {
        var read = try stream(of: packets)

        XCTAssertEqual(drain(&read), packets)
        XCTAssertEqual(read.readableBytes, 0)
    }

    func testReadsSplitAnywhereReassembleThePackets() throws {
        let bytes = Array(try stream(of: packets).readableBytesView)
        for chunkSize in [1, 2, 3, 7, 150] {
            var read = ByteBuffer()
            var received: [ByteBuffer] = []
            for chunkStart in stride(from: 0, to: bytes.count, by: chunkSize) {
                read.writeBytes(bytes[chunkStart..<min(chunkStart + chunkSize, bytes.count)])
                received += drain(&read)
            }
            XCTAssertEqual(received, packets, "chunks of \(chunkSize) bytes")
            XCTAssertEqual(read.readableBytes, 0)
        }
    }

    func testPartialFrameWaitsForTheRest() throws {
        var read = ByteBuffer()
        let framed = try Rfc4571Framer.framed(packets[1])
        read.writeImmutableBuffer(try XCTUnwrap(framed.getSlice(at: 0, length: 1)))
        XCTAssertNil(Rfc4571Framer.takePacket(from: &read), "half a length field")
        read.writeImmutableBuffer(try XCTUnwrap(framed.getSlice(at: 1, length: 100)))
        XCTAssertNil(Rfc4571Framer.takePacket(from: &read), "a length and part of the packet")
        XCTAssertEqual(read.readableBytes, 101, "nothing taken from an incomplete frame")

        read.writeImmutableBuffer(try XCTUnwrap(framed.getSlice(at: 101, length: framed.readableBytes - 101)))
        XCTAssertEqual(Rfc4571Framer.takePacket(from: &read), packets[1])
    }

    func testNullFramesAreSkipped() throws {
        var read = ByteBuffer(bytes: [0, 0, 0, 0])
        read.writeImmutableBuffer(try stream(of: [packets[2]]))
        read.writeBytes([0, 0])

        XCTAssertEqual(drain(&read), [packets[2]])
        XCTAssertEqual(read.readableBytes, 0)
    }

    func testLargestFrameRoundTripsAndLargerPacketsAreRejected() throws {
        let largest = ByteBuffer(bytes: Array(repeating: 0x42, count: Rfc4571Framer.maximumPacketLength))
        var read = try Rfc4571Framer.framed(largest)
        XCTAssertEqual(Rfc4571Framer.takePacket(from: &read), largest)

        var output = ByteBuffer()
        let tooLong = ByteBuffer(bytes: Array(repeating: 0, count: Rfc4571Framer.maximumPacketLength + 1))
        XCTAssertThrowsError(try Rfc4571Framer.frame(tooLong, into: &output)) { error in
            XCTAssertEqual(error as? Rfc4571FramingError, .packetTooLong(length: 65536, maximum: 65535))
        }
        XCTAssertEqual(output.readableBytes, 0)
    }
}
