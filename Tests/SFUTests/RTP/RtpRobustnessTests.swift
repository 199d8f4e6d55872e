import NIOCore
import XCTest

@testable import SFU

/// Parsers of network bytes must never trap: every truncation of valid packets and thousands of
/// random or corrupted buffers either parse or fail with a typed error, and every rewrite of a
/// parsed packet leaves bytes that parse again.
final class RtpRobustnessTests: XCTestCase {
    private static let samples: [[UInt8]] = {
        var withEverything = RtpPacket(
            payloadType: 101, sequenceNumber: 1, timestamp: 2, ssrc: 3, marker: true,
            payloadBytes: [0x90, 0xE0, 0x81, 0x23, 0x45, 0x60, 0x50, 0x2A, 0x01, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01],
            paddingLength: 5)
        try? withEverything.setCsrcs([7, 8])
        try? withEverything.setMid("video0", extensionId: 1)
        try? withEverything.setTransportWideSequenceNumber(9, extensionId: 5)
        return [
            RtpTestBytes.chromeOneByteExtensionPacket,
            RtpTestBytes.twoByteExtensionPacket,
            RtpTestBytes.bytes(withEverything.buffer),
            [0x80, 0x6F, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x78, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1F, 0x00, 0x02, 0x68, 0xCE],
        ]
    }()

    private let remap = RtpHeaderExtensionIdMap([1: 15, 2: 2, 4: 0, 5: 6, 13: 1])

    /// Parses `bytes` and, when that succeeds, reads every field and applies every rewrite,
    /// checking that the result still parses.
    private func exercise(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        let buffer = RtpTestBytes.buffer(bytes)
        for codec in [CodecPayloadInspector.Codec.vp8, .vp9, .h264, .opus] {
            _ = CodecPayloadInspector.describe(payload: buffer, codec: codec)
        }
        _ = OpusPayloadInspector.frameCount(payload: buffer)

        let packet: RtpPacket
        do {
            packet = try RtpPacket(buffer: buffer)
        } catch {
            return
        }
        XCTAssertLessThanOrEqual(packet.payloadOffset + packet.payloadLength + packet.paddingLength, packet.size, file: file, line: line)
        XCTAssertGreaterThanOrEqual(packet.payloadLength, 0, file: file, line: line)
        _ = packet.description
        _ = packet.csrcs
        _ = Array(packet.headerExtensions)
        for id: UInt8 in [0, 1, 2, 4, 5, 13, 15, 200] {
            _ = packet.headerExtension(id: id)
            _ = packet.mid(extensionId: id)
            _ = packet.absSendTime(extensionId: id)
            _ = packet.transportWideSequenceNumber(extensionId: id)
            _ = packet.audioLevel(extensionId: id)
            _ = packet.videoOrientation(extensionId: id)
        }
        for codec in [CodecPayloadInspector.Codec.vp8, .vp9, .h264, .opus] {
            _ = CodecPayloadInspector.describe(payload: packet.payload, codec: codec)
        }

        func assertStillParses(_ rewritten: RtpPacket, _ what: String) {
            XCTAssertNoThrow(try RtpPacket(buffer: rewritten.buffer), what, file: file, line: line)
        }

        var copy = packet
        copy.ssrc = 0xFFFF_FFFF
        copy.payloadType = 127
        copy.sequenceNumber &+= 1
        copy.marker.toggle()
        assertStillParses(copy, "header rewrite")
        if let descriptor = Vp8PayloadDescriptor(payload: copy.payload) {
            descriptor.rewrite(pictureId: 0x7FFF, tl0PictureIndex: 0xFF, in: &copy)
            assertStillParses(copy, "VP8 rewrite")
        }
        if (try? copy.remapHeaderExtensionIds(remap)) != nil { assertStillParses(copy, "remap") }
        if (try? copy.setHeaderExtension(id: 3, value: [1, 2, 3])) != nil { assertStillParses(copy, "set") }
        if (try? copy.setMid(String(repeating: "m", count: 20), extensionId: 1)) != nil { assertStillParses(copy, "long mid") }
        copy.removeHeaderExtension(id: 2)
        assertStillParses(copy, "remove")
        if (try? copy.setCsrcs([1])) != nil { assertStillParses(copy, "csrcs") }
        var rtx = copy.rtxEncapsulated(payloadType: 102, ssrc: 9, sequenceNumber: 10)
        assertStillParses(rtx, "rtx encapsulate")
        XCTAssertNoThrow(try rtx.rtxDecapsulate(payloadType: 101, ssrc: 3), file: file, line: line)
        assertStillParses(rtx, "rtx decapsulate")
        if (try? copy.rtxDecapsulate(payloadType: 1, ssrc: 1)) != nil { assertStillParses(copy, "rtx decapsulate of media") }
        copy.removePadding()
        assertStillParses(copy, "padding removal")
        if (try? copy.removeAllHeaderExtensions()) != nil { assertStillParses(copy, "remove all") }
    }

    func testSamplesParse() throws {
        for sample in Self.samples {
            XCTAssertNoThrow(try RtpPacket(buffer: RtpTestBytes.buffer(sample)))
        }
    }

    func testEveryTruncationOfValidPacketsIsHandled() {
        for sample in Self.samples {
            for length in 0...sample.count {
                exercise(Array(sample.prefix(length)))
            }
        }
    }

    func testTenThousandRandomBuffersNeverTrap() {
        var generator = RtpTestBytes.SeededGenerator(seed: 0x5EED_0001)
        var parsed = 0
        for _ in 0..<10_000 {
            let length = Int.random(in: 0...80, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Bias towards version 2 so the deeper layers get exercised too.
            if !bytes.isEmpty, Bool.random(using: &generator) { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
            if (try? RtpPacket(buffer: RtpTestBytes.buffer(bytes))) != nil { parsed += 1 }
            exercise(bytes)
        }
        XCTAssertGreaterThan(parsed, 0, "the random corpus reaches past header validation")
    }

    func testTenThousandCorruptedValidPacketsNeverTrap() {
        var generator = RtpTestBytes.SeededGenerator(seed: 0x5EED_0002)
        for _ in 0..<10_000 {
            var bytes = Self.samples.randomElement(using: &generator) ?? []
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            exercise(bytes)
        }
    }
}
