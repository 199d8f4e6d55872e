import NIOCore
import XCTest

@testable import SFU

/// Vp8Packetizer and Vp8Depacketizer on hand-made frames (no codec), including loss.
final class Vp8PacketizationTests: XCTestCase {
    /// A fake "frame" whose bytes encode their own index, so reassembly errors show.
    private func frame(length: Int, seed: UInt8 = 0) -> ByteBuffer {
        var buffer = ByteBuffer()
        for index in 0..<length { buffer.writeInteger(UInt8(truncatingIfNeeded: index) &+ seed) }
        return buffer
    }

    private func packetizer(sequenceNumber: UInt16 = 1000, pictureId: UInt16 = 0x7FFE) -> Vp8Packetizer {
        Vp8Packetizer(payloadType: 101, ssrc: 0x1234_5678, maxPayloadSize: 1100,
                      initialSequenceNumber: sequenceNumber, initialPictureId: pictureId)
    }

    func testSplitsFrameIntoBalancedPacketsWithDescriptors() throws {
        var packetizer = packetizer()
        let packets = packetizer.packetize(frame: frame(length: 2500), timestamp: 90_000)

        // 2500 bytes at 1096 per packet need 3 packets: 834 + 833 + 833.
        XCTAssertEqual(packets.map(\.payloadLength), [838, 837, 837])
        XCTAssertEqual(packets.map(\.sequenceNumber), [1000, 1001, 1002])
        XCTAssertEqual(packets.map(\.marker), [false, false, true])
        XCTAssertTrue(packets.allSatisfy { $0.timestamp == 90_000 && $0.ssrc == 0x1234_5678 && $0.payloadType == 101 })
        for (index, packet) in packets.enumerated() {
            let descriptor = try XCTUnwrap(Vp8PayloadDescriptor(payload: packet.payload))
            XCTAssertTrue(descriptor.hasExtension)
            XCTAssertEqual(descriptor.isStartOfPartition, index == 0)
            XCTAssertEqual(descriptor.partitionIndex, 0)
            XCTAssertTrue(descriptor.hasLongPictureId)
            XCTAssertEqual(descriptor.pictureId, 0x7FFE)
            XCTAssertEqual(descriptor.length, Vp8Packetizer.descriptorLength)
        }
    }

    func testPictureIdAndSequenceNumberWrap() {
        var packetizer = packetizer(sequenceNumber: 0xFFFF, pictureId: 0x7FFF)
        let first = packetizer.packetize(frame: frame(length: 1500), timestamp: 0)
        let second = packetizer.packetize(frame: frame(length: 10), timestamp: 3000)
        XCTAssertEqual(first.map(\.sequenceNumber), [0xFFFF, 0])
        XCTAssertEqual(second.map(\.sequenceNumber), [1])
        XCTAssertEqual(Vp8PayloadDescriptor(payload: first[0].payload)?.pictureId, 0x7FFF)
        XCTAssertEqual(Vp8PayloadDescriptor(payload: second[0].payload)?.pictureId, 0)
        XCTAssertEqual(packetizer.nextPictureId, 1)
    }

    func testDepacketizerReassemblesFramesExactly() throws {
        var packetizer = packetizer(sequenceNumber: 0xFFFE)
        var depacketizer = Vp8Depacketizer()
        for (index, length) in [3000, 1, 1096, 1097, 5000].enumerated() {
            let original = frame(length: length, seed: UInt8(index))
            let packets = packetizer.packetize(frame: original, timestamp: UInt32(index * 3000))
            var delivered: [Vp8Depacketizer.Frame] = []
            for packet in packets {
                let output = depacketizer.push(packet)
                XCTAssertEqual(output.drops, [])
                if let frame = output.frame { delivered.append(frame) }
            }
            XCTAssertEqual(delivered.count, 1)
            XCTAssertEqual(delivered.first?.bytes, original)
            XCTAssertEqual(delivered.first?.timestamp, UInt32(index * 3000))
            XCTAssertEqual(delivered.first?.firstSequenceNumber, packets.first?.sequenceNumber)
            XCTAssertEqual(delivered.first?.lastSequenceNumber, packets.last?.sequenceNumber)
            XCTAssertEqual(delivered.first?.followsLoss, false)
        }
        XCTAssertEqual(depacketizer.statistics.framesDelivered, 5)
        XCTAssertEqual(depacketizer.statistics.lostPackets, 0)
    }

    func testLostMiddlePacketDropsTheFrame() {
        var packetizer = packetizer(sequenceNumber: 10)
        var depacketizer = Vp8Depacketizer()
        let packets = packetizer.packetize(frame: frame(length: 3000), timestamp: 1000)
        XCTAssertEqual(packets.count, 3)

        XCTAssertNil(depacketizer.push(packets[0]).frame)
        let output = depacketizer.push(packets[2])
        XCTAssertNil(output.frame)
        XCTAssertEqual(output.drops, [.missingPackets(timestamp: 1000, expectedSequenceNumber: 11, receivedSequenceNumber: 12)])
        XCTAssertEqual(output.drops.first?.description, "VP8 frame at timestamp 1000 dropped: packets 11..<12 missing")
        XCTAssertEqual(depacketizer.statistics.lostPackets, 1)
        XCTAssertEqual(depacketizer.statistics.framesDropped, 1)

        // The next frame is delivered, flagged as following a loss.
        let next = packetizer.packetize(frame: frame(length: 100), timestamp: 4000)
        let delivered = depacketizer.push(next[0]).frame
        XCTAssertEqual(delivered?.timestamp, 4000)
        XCTAssertEqual(delivered?.followsLoss, true)
    }

    func testLostFirstPacketIsReportedOnce() {
        var packetizer = packetizer(sequenceNumber: 10)
        var depacketizer = Vp8Depacketizer()
        _ = depacketizer.push(packetizer.packetize(frame: frame(length: 50), timestamp: 0)[0])
        let packets = packetizer.packetize(frame: frame(length: 3000), timestamp: 3000)

        let output = depacketizer.push(packets[1])
        XCTAssertEqual(output.drops, [.missingFrameStart(timestamp: 3000, sequenceNumber: 12)])
        let last = depacketizer.push(packets[2])
        XCTAssertNil(last.frame)
        XCTAssertEqual(last.drops, [])
        XCTAssertEqual(depacketizer.statistics.framesDropped, 1)
        XCTAssertEqual(depacketizer.statistics.lostPackets, 1)
    }

    func testLostMarkerPacketIsReportedWhenTheNextFrameStarts() {
        var packetizer = packetizer(sequenceNumber: 10)
        var depacketizer = Vp8Depacketizer()
        let first = packetizer.packetize(frame: frame(length: 2000), timestamp: 0)
        let second = packetizer.packetize(frame: frame(length: 20), timestamp: 3000)
        _ = depacketizer.push(first[0])
        // first[1] (the marker packet) is lost.
        let output = depacketizer.push(second[0])
        XCTAssertEqual(output.drops, [.missingPackets(timestamp: 0, expectedSequenceNumber: 11, receivedSequenceNumber: 12)])
        XCTAssertEqual(output.frame?.timestamp, 3000)
        XCTAssertEqual(output.frame?.followsLoss, true)

        // Without a sequence gap (a sender that forgot the marker) the frame still never passes.
        var unmarked = first[1]
        unmarked.marker = false
        var other = Vp8Depacketizer()
        _ = other.push(first[0])
        _ = other.push(unmarked)
        XCTAssertEqual(other.push(second[0]).drops, [.missingFrameEnd(timestamp: 0)])
    }

    func testDuplicatesAndMalformedPayloadsAreNotDelivered() {
        var packetizer = packetizer(sequenceNumber: 10)
        var depacketizer = Vp8Depacketizer()
        let packets = packetizer.packetize(frame: frame(length: 2000), timestamp: 0)
        _ = depacketizer.push(packets[0])
        XCTAssertEqual(depacketizer.push(packets[0]).drops, [])
        XCTAssertEqual(depacketizer.statistics.latePackets, 1)
        XCTAssertNotNil(depacketizer.push(packets[1]).frame)

        let empty = RtpPacket(payloadType: 101, sequenceNumber: 12, timestamp: 3000, ssrc: 1, marker: true, payloadBytes: [0x90, 0x80])
        let output = depacketizer.push(empty)
        XCTAssertNil(output.frame)
        XCTAssertEqual(output.drops, [.malformedPayload(sequenceNumber: 12)])
    }
}
