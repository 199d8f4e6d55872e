import NIOCore
import XCTest

@testable import SFU

/// End to end through the codecs: synthetic source → RTP packets → checker.
final class SyntheticMediaLoopTests: XCTestCase {
    private func videoSource(maxPayloadSize: Int = 1100, keyFrameInterval: Int? = nil) throws -> SyntheticVideoSource {
        try SyntheticVideoSource(configuration: .init(
            ssrc: 0xCAFE_0001, maxPayloadSize: maxPayloadSize, initialSequenceNumber: 65_500,
            initialTimestamp: 0xFFFF_0000, initialPictureId: 0x7FF0, keyFrameInterval: keyFrameInterval))
    }

    func testVp8FramesSurviveEncodePacketizeDepacketizeDecode() throws {
        let source = try videoSource()
        let checker = try SyntheticVideoChecker(reference: source.pattern)
        var previousSequenceNumber: UInt16?
        var previousTimestamp: UInt32?
        var keyFrames: [Bool] = []

        for index in 0..<30 {
            let frame = try source.nextFrame()
            XCTAssertFalse(frame.packets.isEmpty)
            keyFrames.append(frame.isKeyFrame)
            if index == 0 {
                // The server's own payload inspection sees the key frame and its size.
                let description = try XCTUnwrap(CodecPayloadInspector.describe(payload: frame.packets[0].payload, codec: .vp8))
                XCTAssertTrue(description.isKeyFrame)
                XCTAssertEqual(description.width, 320)
                XCTAssertEqual(description.height, 240)
                XCTAssertGreaterThan(frame.packets.count, 1, "a 320x240 key frame needs more than one 1100-byte packet")
            } else {
                XCTAssertFalse(CodecPayloadInspector.isKeyFrame(payload: frame.packets[0].payload, codec: .vp8))
            }
            if let previousTimestamp { XCTAssertEqual(frame.timestamp &- previousTimestamp, 3000) }
            previousTimestamp = frame.timestamp
            for packet in frame.packets {
                XCTAssertLessThanOrEqual(packet.payloadLength, 1100)
                XCTAssertEqual(packet.ssrc, 0xCAFE_0001)
                XCTAssertEqual(packet.payloadType, 101)
                XCTAssertEqual(packet.timestamp, frame.timestamp)
                if let previousSequenceNumber { XCTAssertEqual(packet.sequenceNumber, previousSequenceNumber &+ 1) }
                previousSequenceNumber = packet.sequenceNumber
                // Through the wire format and back, as a receiver would see it.
                checker.receive(try RtpPacket(buffer: packet.buffer))
            }
        }

        XCTAssertEqual(keyFrames, [true] + Array(repeating: false, count: 29))
        let report = checker.report
        XCTAssertTrue(report.isIntact, "\(report)")
        XCTAssertEqual(report.framesDecoded, 30)
        XCTAssertEqual(report.keyFramesDecoded, 1)
        XCTAssertEqual(report.width, 320)
        XCTAssertEqual(report.height, 240)
        XCTAssertGreaterThan(try XCTUnwrap(report.minimumLumaPsnr), 30, "decoded pictures should match the pattern sent")
        XCTAssertFalse(checker.isWaitingForKeyFrame)
    }

    func testCheckerNoticesPicturesThatDoNotMatchThePattern() throws {
        let source = try videoSource()
        let checker = try SyntheticVideoChecker(reference: source.pattern)
        // Shifted PictureIDs make the checker compare each picture with another phase of the
        // pattern: the pictures decode but do not match.
        for _ in 0..<5 {
            for var packet in try source.nextFrame().packets {
                let descriptor = try XCTUnwrap(Vp8PayloadDescriptor(payload: packet.payload))
                let pictureId = try XCTUnwrap(descriptor.pictureId)
                XCTAssertTrue(descriptor.rewrite(pictureId: pictureId &+ 50, tl0PictureIndex: nil, in: &packet))
                checker.receive(packet)
            }
        }
        XCTAssertEqual(checker.report.framesDecoded, 5)
        XCTAssertLessThan(try XCTUnwrap(checker.report.minimumLumaPsnr), 20)
    }

    func testLostPacketInsideAFrameStopsDecodingUntilTheNextKeyFrame() throws {
        // Small packets, so that every key frame spans several.
        let source = try videoSource(maxPayloadSize: 300)
        let checker = try SyntheticVideoChecker(reference: source.pattern)
        for _ in 0..<5 {
            for packet in try source.nextFrame().packets { checker.receive(packet) }
        }
        XCTAssertEqual(checker.report.framesDecoded, 5)

        // Lose the second packet of a key frame.
        source.requestKeyFrame()
        let damaged = try source.nextFrame()
        XCTAssertTrue(damaged.isKeyFrame)
        guard damaged.packets.count >= 3 else { return XCTFail("key frame of \(damaged.encodedSize) bytes in \(damaged.packets.count) packets") }
        for (index, packet) in damaged.packets.enumerated() where index != 1 { checker.receive(packet) }
        XCTAssertEqual(checker.report.lostPackets, 1)
        XCTAssertEqual(checker.report.framesDropped, 1)
        XCTAssertEqual(
            checker.report.drops,
            [.missingPackets(timestamp: damaged.timestamp, expectedSequenceNumber: damaged.packets[1].sequenceNumber,
                             receivedSequenceNumber: damaged.packets[2].sequenceNumber)])
        XCTAssertTrue(checker.isWaitingForKeyFrame)

        // Delta frames that follow cannot be decoded: skipped, not fed to libvpx.
        for _ in 0..<3 {
            for packet in try source.nextFrame().packets { checker.receive(packet) }
        }
        XCTAssertEqual(checker.report.framesDecoded, 5)
        XCTAssertEqual(checker.report.framesSkipped, 3)
        XCTAssertEqual(checker.report.decodeErrors, [])

        // The receiver's PLI: the next key frame restores the picture.
        source.requestKeyFrame()
        for _ in 0..<4 {
            for packet in try source.nextFrame().packets { checker.receive(packet) }
        }
        XCTAssertFalse(checker.isWaitingForKeyFrame)
        XCTAssertEqual(checker.report.framesDecoded, 9)
        XCTAssertEqual(checker.report.keyFramesDecoded, 2)
        XCTAssertFalse(checker.report.isIntact)
        XCTAssertGreaterThan(try XCTUnwrap(checker.report.minimumLumaPsnr), 30)
    }

    func testPeriodicKeyFrames() throws {
        let source = try videoSource(keyFrameInterval: 10)
        var keyFrameIndexes: [Int] = []
        for index in 0..<25 where try source.nextFrame().isKeyFrame { keyFrameIndexes.append(index) }
        XCTAssertEqual(keyFrameIndexes, [0, 10, 20])
    }

    func testSourceRejectsUnusableSettings() {
        XCTAssertThrowsError(try SyntheticVideoSource(configuration: .init(maxPayloadSize: 4)))
        XCTAssertThrowsError(try SyntheticVideoSource(configuration: .init(bitrateKbps: 0)))
        XCTAssertThrowsError(try SyntheticVideoSource(configuration: .init(keyFrameInterval: 0)))
        XCTAssertThrowsError(try SyntheticAudioSource(configuration: .init(channels: 3))) { error in
            XCTAssertEqual("\(error)", "libopus opus_encoder_create(48000 Hz, 3 channels) failed: invalid argument (-1)")
        }
    }

    func testOpusPacketsDecodeTo20msOfTheTone() throws {
        let source = try SyntheticAudioSource(configuration: .init(
            payloadType: 111, ssrc: 0xA0D1_0001, initialSequenceNumber: 65_530, initialTimestamp: 0xFFFF_FF00))
        let checker = try SyntheticAudioChecker(channels: 2)
        for index in 0..<50 {
            let packet = try source.nextPacket()
            XCTAssertEqual(packet.payloadType, 111)
            XCTAssertEqual(packet.ssrc, 0xA0D1_0001)
            XCTAssertEqual(packet.marker, index == 0)
            XCTAssertEqual(packet.timestamp, 0xFFFF_FF00 &+ UInt32(index * 960))
            let toc = try XCTUnwrap(OpusPayloadInspector.toc(payload: packet.payload))
            XCTAssertEqual(toc.frameDurationMicroseconds, 20_000)
            XCTAssertTrue(toc.isStereo)
            XCTAssertFalse(OpusPayloadInspector.isDtx(payload: packet.payload))
            checker.receive(try RtpPacket(buffer: packet.buffer))
        }
        let report = checker.report
        XCTAssertTrue(report.isIntact, "\(report)")
        XCTAssertEqual(report.packetsDecoded, 50)
        XCTAssertEqual(report.wrongLengthPackets, 0)
        XCTAssertEqual(try XCTUnwrap(report.estimatedToneFrequency), 440, accuracy: 5)
    }

    func testAudioCheckerCountsLossAndCorruption() throws {
        let source = try SyntheticAudioSource(configuration: .init(channels: 1, toneFrequency: 1000))
        let checker = try SyntheticAudioChecker(channels: 1)
        for index in 0..<20 {
            let packet = try source.nextPacket()
            if index == 7 || index == 8 { continue }
            checker.receive(packet)
        }
        // An Opus TOC byte with code 3 and a frame count of 0 is invalid (RFC 6716 §3.2.5).
        checker.receive(RtpPacket(payloadType: 100, sequenceNumber: source.configuration.initialSequenceNumber &+ 20,
                                  timestamp: source.configuration.initialTimestamp &+ 20 * 960, ssrc: 1, payloadBytes: [0xFB, 0x00]))
        let report = checker.report
        XCTAssertEqual(report.lostPackets, 2)
        XCTAssertEqual(report.packetsDecoded, 18)
        XCTAssertEqual(report.timestampJumps, 0)
        XCTAssertEqual(report.decodeErrors.count, 1)
        XCTAssertFalse(report.isIntact)
        XCTAssertEqual(try XCTUnwrap(report.estimatedToneFrequency), 1000, accuracy: 10)
    }
}
