import NIOCore
import XCTest

@testable import SFU

final class RtpHeaderExtensionsTests: XCTestCase {
    private func chromePacket() throws -> RtpPacket {
        try RtpPacket(buffer: RtpTestBytes.buffer(RtpTestBytes.chromeOneByteExtensionPacket))
    }

    private func plainPacket(payload: [UInt8] = [1, 2, 3, 4, 5]) -> RtpPacket {
        RtpPacket(payloadType: 96, sequenceNumber: 10, timestamp: 20, ssrc: 30, payloadBytes: payload)
    }

    private func elements(_ packet: RtpPacket) -> [UInt8: [UInt8]] {
        RtpTestBytes.headerExtensions(packet)
    }

    /// Found by the RTP fuzzer: a one-byte-form byte with id 0 and a non-zero length nibble is
    /// one padding byte (RFC 8285 reserves id 0), not an element swallowing its successors.
    func testOneByteFormIdZeroWithLengthIsSkippedAsPadding() throws {
        let bytes: [UInt8] = [
            0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
            0xBE, 0xDE, 0x00, 0x01, 0x01, 0x10, 0xAA, 0x00, 0xFF,
        ]
        var rtp = try RtpPacket(buffer: RtpTestBytes.buffer(bytes))
        XCTAssertEqual(elements(rtp), [1: [0xAA]])
        try rtp.remapHeaderExtensionIds(RtpHeaderExtensionIdMap([1: 1]))
        XCTAssertEqual(RtpTestBytes.bytes(rtp.buffer), bytes, "an identity remap changes nothing")
    }

    func testSettingSameLengthValueRewritesInPlace() throws {
        var rtp = try chromePacket()
        try rtp.setHeaderExtension(id: 4, value: [0x12, 0x34])
        XCTAssertEqual(rtp.size, RtpTestBytes.chromeOneByteExtensionPacket.count)
        XCTAssertEqual(rtp.headerLength, 28)
        XCTAssertEqual(rtp.transportWideSequenceNumber(extensionId: 4), 0x1234)
        XCTAssertEqual(elements(rtp)[13], [0x81, 0x00, 0x45])
    }

    func testSettingDifferentLengthValueRelaysTheBlock() throws {
        var rtp = try chromePacket()
        try rtp.setHeaderExtension(id: 4, value: [0xAA, 0xBB, 0xCC, 0xDD, 0xEE])
        let reparsed = try RtpPacket(buffer: rtp.buffer)
        XCTAssertEqual(reparsed.headerExtensionForm, .oneByte)
        XCTAssertEqual(reparsed.headerExtensions.map(\.id), [2, 13, 4])
        XCTAssertEqual(elements(reparsed)[4], [0xAA, 0xBB, 0xCC, 0xDD, 0xEE])
        XCTAssertEqual(elements(reparsed)[2], [0xF3, 0x43, 0x50])
        // 4 + 4 + 6 = 14 bytes of elements, padded to 16.
        XCTAssertEqual(reparsed.headerLength, 12 + 4 + 16)
        XCTAssertEqual(reparsed.headerLength % 4, 0)
        XCTAssertEqual(RtpTestBytes.bytes(reparsed.payload), [0xDE, 0xAD, 0xBE, 0xEF])
        XCTAssertEqual(reparsed.sequenceNumber, 6751)
    }

    /// The consumer's mid path: CSRCs, payload and RTP padding survive, the padding of the old
    /// block is dropped, and the new buffer has the SRTP trailer room.
    func testAddingAnElementKeepsCsrcsPaddingAndLeavesTrailerRoom() throws {
        let bytes: [UInt8] = [
            0xB1, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
            0x00, 0x00, 0x00, 0x09,  // one CSRC
            0xBE, 0xDE, 0x00, 0x02, 0x20, 0xAA, 0x00, 0x31, 0xBB, 0xCC, 0x00, 0x00,  // ids 2, 3, padding
            0x01, 0x02, 0x03, 0x00, 0x00, 0x03,  // payload and 3 bytes of RTP padding
        ]
        var rtp = try RtpPacket(buffer: RtpTestBytes.buffer(bytes))
        try rtp.setMid("abc", extensionId: 5)
        let reparsed = try RtpPacket(buffer: rtp.buffer)
        XCTAssertEqual(reparsed.csrcs, [9])
        XCTAssertEqual(reparsed.headerExtensions.map(\.id), [2, 3, 5])
        XCTAssertEqual(elements(reparsed)[3], [0xBB, 0xCC])
        XCTAssertEqual(reparsed.mid(extensionId: 5), "abc")
        // 2 + 3 + 4 = 9 bytes of elements, padded to 12.
        XCTAssertEqual(reparsed.headerLength, 16 + 4 + 12)
        XCTAssertEqual(RtpTestBytes.bytes(reparsed.payload), [0x01, 0x02, 0x03])
        XCTAssertEqual(reparsed.paddingLength, 3)
        XCTAssertGreaterThanOrEqual(rtp.buffer.writableBytes, RtpPacket.trailerRoom)

        try rtp.setMid("abcdef", extensionId: 5)
        XCTAssertEqual(try RtpPacket(buffer: rtp.buffer).headerExtensions.map(\.id), [2, 3, 5])
        XCTAssertEqual(rtp.mid(extensionId: 5), "abcdef")
    }

    /// Random one-byte packets (CSRCs, interior padding, RTP padding, distinct ids): setting an
    /// element leaves every other element, the CSRCs, the payload and the padding as they were.
    func testSettingAnElementOnRandomPacketsChangesOnlyThatElement() throws {
        var random = RtpTestBytes.SeededGenerator(seed: 0x5EED)
        for _ in 0..<500 {
            var expected: [UInt8: [UInt8]] = [:]
            func bytes(_ counts: ClosedRange<Int>) -> [UInt8] {
                (0..<Int.random(in: counts, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
            for id in UInt8(1)...14 where Bool.random(using: &random) {
                expected[id] = bytes(1...16)
            }
            let payload = bytes(0...40)
            var rtp = RtpPacket(
                payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payloadBytes: payload,
                paddingLength: UInt8.random(in: 0...3, using: &random))
            let csrcs = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                UInt32.random(in: 1...9, using: &random)
            }
            try rtp.setCsrcs(csrcs)
            for (id, value) in expected.sorted(by: { $0.key < $1.key }) {
                try rtp.setHeaderExtension(id: id, value: value)
            }
            let id = UInt8.random(in: 1...14, using: &random)
            let value = bytes(1...16)
            try rtp.setHeaderExtension(id: id, value: value)
            expected[id] = value

            let reparsed = try RtpPacket(buffer: rtp.buffer)
            XCTAssertEqual(reparsed.headerExtensionForm, .oneByte)
            XCTAssertEqual(elements(reparsed), expected)
            XCTAssertEqual(reparsed.headerExtensions.count { _ in true }, expected.count)
            XCTAssertEqual(reparsed.csrcs, csrcs)
            XCTAssertEqual(RtpTestBytes.bytes(reparsed.payload), payload)
            XCTAssertEqual(reparsed.headerLength % 4, 0)
        }
    }

    func testSettingAnIdThatAppearsTwiceLeavesOneElement() throws {
        let bytes: [UInt8] = [
            0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
            0xBE, 0xDE, 0x00, 0x01, 0x50, 0x31, 0x50, 0x32, 0xFF,
        ]
        var rtp = try RtpPacket(buffer: RtpTestBytes.buffer(bytes))
        try rtp.setMid("xyz", extensionId: 5)
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [5])
        XCTAssertEqual(rtp.mid(extensionId: 5), "xyz")
    }

    func testAddingAnExtensionToAPacketWithoutOneUsesTheOneByteForm() throws {
        var rtp = plainPacket()
        try rtp.setMid("0", extensionId: 1)
        XCTAssertTrue(rtp.hasHeaderExtension)
        XCTAssertEqual(rtp.headerExtensionProfile, 0xBEDE)
        XCTAssertEqual(
            RtpTestBytes.bytes(rtp.buffer),
            [0x90, 0x60, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0xBE, 0xDE, 0x00, 0x01, 0x10, 0x30, 0x00, 0x00, 1, 2, 3, 4, 5])
        XCTAssertEqual(rtp.mid(extensionId: 1), "0")
    }

    func testValueLongerThan16BytesSwitchesToTwoByteForm() throws {
        var rtp = try chromePacket()
        let long = [UInt8](repeating: 0x61, count: 17)
        try rtp.setHeaderExtension(id: 1, value: long)
        let reparsed = try RtpPacket(buffer: rtp.buffer)
        XCTAssertEqual(reparsed.headerExtensionForm, .twoByte)
        XCTAssertEqual(reparsed.headerExtensionProfile, 0x1000)
        XCTAssertEqual(elements(reparsed)[1], long)
        XCTAssertEqual(elements(reparsed)[2], [0xF3, 0x43, 0x50])
        XCTAssertEqual(elements(reparsed)[4], [0x00, 0x9B])
        XCTAssertEqual(elements(reparsed)[13], [0x81, 0x00, 0x45])
        XCTAssertEqual(RtpTestBytes.bytes(reparsed.payload), [0xDE, 0xAD, 0xBE, 0xEF])
    }

    func testIdAbove14SwitchesToTwoByteForm() throws {
        var rtp = try chromePacket()
        try rtp.setHeaderExtension(id: 200, value: [0x07])
        XCTAssertEqual(rtp.headerExtensionForm, .twoByte)
        XCTAssertEqual(elements(rtp)[200], [0x07])
        XCTAssertEqual(elements(rtp)[13], [0x81, 0x00, 0x45])
    }

    func testEmptyValueNeedsTheTwoByteForm() throws {
        var rtp = plainPacket()
        try rtp.setHeaderExtension(id: 5, value: [])
        XCTAssertEqual(rtp.headerExtensionForm, .twoByte)
        XCTAssertEqual(rtp.headerExtension(id: 5)?.readableBytes, 0)
    }

    func testTwoByteFormIsKeptWhenValuesShrink() throws {
        var rtp = try RtpPacket(buffer: RtpTestBytes.buffer(RtpTestBytes.twoByteExtensionPacket))
        try rtp.setHeaderExtension(id: 13, value: [0x01])
        XCTAssertEqual(rtp.headerExtensionForm, .twoByte)
        XCTAssertEqual(elements(rtp)[13], [0x01])
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [2, 4, 9, 3, 6, 7, 13])
    }

    func testRemoveTurnsTheElementIntoPaddingInPlace() throws {
        var rtp = try chromePacket()
        XCTAssertTrue(rtp.removeHeaderExtension(id: 4))
        XCTAssertFalse(rtp.removeHeaderExtension(id: 4))
        XCTAssertFalse(rtp.removeHeaderExtension(id: 9))
        XCTAssertEqual(rtp.size, RtpTestBytes.chromeOneByteExtensionPacket.count)
        XCTAssertNil(rtp.headerExtension(id: 4))
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [2, 13])
        let reparsed = try RtpPacket(buffer: rtp.buffer)
        XCTAssertEqual(reparsed.headerExtensions.map(\.id), [2, 13])
        XCTAssertEqual(elements(reparsed)[13], [0x81, 0x00, 0x45])
    }

    func testRemoveAllHeaderExtensionsClearsTheXBit() throws {
        var rtp = try chromePacket()
        try rtp.removeAllHeaderExtensions()
        XCTAssertFalse(rtp.hasHeaderExtension)
        XCTAssertEqual(rtp.headerLength, 12)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0xDE, 0xAD, 0xBE, 0xEF])
        XCTAssertEqual(rtp.buffer.getInteger(at: rtp.buffer.readerIndex, as: UInt8.self), 0x80)
    }

    func testSettingTheOnlyRemainingElementAfterRemovalStillWorks() throws {
        var rtp = plainPacket()
        try rtp.setHeaderExtension(id: 3, value: [1, 2])
        rtp.removeHeaderExtension(id: 3)
        XCTAssertTrue(rtp.headerExtensions.map(\.id).isEmpty)
        try rtp.setHeaderExtension(id: 3, value: [9])
        XCTAssertEqual(elements(rtp), [3: [9]])
    }

    func testRemapRewritesIdsInPlaceAndDropsUnmapped() throws {
        var rtp = try chromePacket()
        let map = RtpHeaderExtensionIdMap([2: 4, 4: 5])
        try rtp.remapHeaderExtensionIds(map)
        XCTAssertEqual(rtp.size, RtpTestBytes.chromeOneByteExtensionPacket.count)
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [4, 5])
        XCTAssertEqual(rtp.absSendTime(extensionId: 4), RtpAbsSendTime(rawValue: 0xF3_4350))
        XCTAssertEqual(rtp.transportWideSequenceNumber(extensionId: 5), 0x009B)
        XCTAssertNil(rtp.headerExtension(id: 13))
    }

    func testRemapOfTwoByteFormRewritesIds() throws {
        var rtp = try RtpPacket(buffer: RtpTestBytes.buffer(RtpTestBytes.twoByteExtensionPacket))
        try rtp.remapHeaderExtensionIds(RtpHeaderExtensionIdMap([13: 100, 4: 5]))
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [5, 100])
        XCTAssertEqual(rtp.headerExtension(id: 100)?.readableBytes, 33)
    }

    func testRemapToIdAbove14RelaysAsTwoByteForm() throws {
        var rtp = try chromePacket()
        try rtp.remapHeaderExtensionIds(RtpHeaderExtensionIdMap([2: 2, 4: 15, 13: 0]))
        XCTAssertEqual(rtp.headerExtensionForm, .twoByte)
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [2, 15])
        XCTAssertEqual(elements(rtp)[15], [0x00, 0x9B])
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0xDE, 0xAD, 0xBE, 0xEF])
    }

    func testIdentityMapKeepsEverything() throws {
        var rtp = try chromePacket()
        try rtp.remapHeaderExtensionIds(.identity)
        XCTAssertEqual(RtpTestBytes.bytes(rtp.buffer), RtpTestBytes.chromeOneByteExtensionPacket)
        var map = RtpHeaderExtensionIdMap.identity
        map[13] = 0
        try rtp.remapHeaderExtensionIds(map)
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [2, 4])
    }

    func testRejectsInvalidIdsAndOversizedValues() throws {
        var rtp = plainPacket()
        XCTAssertThrowsError(try rtp.setHeaderExtension(id: 0, value: [1])) { error in
            XCTAssertEqual(error as? RtpPacketError, .invalidHeaderExtensionId(0))
        }
        XCTAssertThrowsError(try rtp.setHeaderExtension(id: 1, value: [UInt8](repeating: 0, count: 256))) { error in
            XCTAssertEqual(error as? RtpPacketError, .headerExtensionValueTooLong(id: 1, length: 256))
        }
        XCTAssertFalse(rtp.hasHeaderExtension)
    }

    func testUnknownProfileExtensionIsNotAddressableById() throws {
        var rtp = try RtpPacket(
            buffer: RtpTestBytes.buffer([
                0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xAB, 0xCD, 0x00, 0x01, 0x10, 0x30, 0x00, 0x00, 0x99,
            ]))
        XCTAssertEqual(rtp.headerExtensionProfile, 0xABCD)
        XCTAssertNil(rtp.headerExtensionForm)
        XCTAssertNil(rtp.headerExtension(id: 1))
        XCTAssertTrue(rtp.headerExtensions.map(\.id).isEmpty)
        XCTAssertThrowsError(try rtp.setHeaderExtension(id: 1, value: [1])) { error in
            XCTAssertEqual(error as? RtpPacketError, .unsupportedHeaderExtensionProfile(0xABCD))
        }
        XCTAssertEqual(RtpTestBytes.bytes(rtp.payload), [0x99])
    }

    func testOneByteId15StopsElementParsing() throws {
        let rtp = try RtpPacket(
            buffer: RtpTestBytes.buffer([
                0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x02,
                0x10, 0x41, 0xF0, 0x00, 0x20, 0x42, 0x00, 0x00,
            ]))
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [1])
        XCTAssertNil(rtp.headerExtension(id: 2))
    }

    func testOverrunningElementEndsTheListButKeepsEarlierOnes() throws {
        // id 1 (1 byte) then id 2 claiming 16 bytes in a 4-byte remainder.
        let rtp = try RtpPacket(
            buffer: RtpTestBytes.buffer([
                0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x02,
                0x10, 0x41, 0x2F, 0x01, 0x02, 0x03, 0x04, 0x05,
            ]))
        XCTAssertEqual(rtp.headerExtensions.map(\.id), [1])
        XCTAssertNil(rtp.headerExtension(id: 2))
    }

    // MARK: Typed values

    func testMidRidAndRepairedRidRoundTrip() throws {
        var rtp = plainPacket()
        try rtp.setMid("1", extensionId: 1)
        try rtp.setRid("hi", extensionId: 2)
        try rtp.setRepairedRid("lo", extensionId: 3)
        XCTAssertEqual(rtp.mid(extensionId: 1), "1")
        XCTAssertEqual(rtp.rid(extensionId: 2), "hi")
        XCTAssertEqual(rtp.repairedRid(extensionId: 3), "lo")
        try rtp.setMid("a-much-longer-mid-value", extensionId: 1)
        XCTAssertEqual(rtp.headerExtensionForm, .twoByte)
        XCTAssertEqual(rtp.mid(extensionId: 1), "a-much-longer-mid-value")
        XCTAssertEqual(rtp.rid(extensionId: 2), "hi")
        XCTAssertNil(rtp.mid(extensionId: 9))
    }

    func testStringValuesIgnoreTrailingNulPadding() throws {
        var rtp = plainPacket()
        try rtp.setHeaderExtension(id: 1, value: [0x61, 0x62, 0x00, 0x00])
        XCTAssertEqual(rtp.mid(extensionId: 1), "ab")
    }

    func testAbsSendTimeConversions() throws {
        XCTAssertEqual(RtpAbsSendTime(milliseconds: 1000).rawValue, 1 << 18)
        XCTAssertEqual(RtpAbsSendTime(milliseconds: 64_000).rawValue, 0)
        XCTAssertEqual(RtpAbsSendTime(microseconds: 500_000).rawValue, 1 << 17)
        XCTAssertEqual(RtpAbsSendTime(rawValue: 1 << 18).microseconds, 1_000_000)
        XCTAssertEqual(RtpAbsSendTime(rawValue: 0x1FF_FFFF).rawValue, 0xFF_FFFF)

        var rtp = plainPacket()
        try rtp.setAbsSendTime(RtpAbsSendTime(milliseconds: 1500), extensionId: 3)
        XCTAssertEqual(rtp.headerExtension(id: 3)?.readableBytes, 3)
        XCTAssertEqual(rtp.absSendTime(extensionId: 3)?.microseconds, 1_500_000)
        let sizeBefore = rtp.size
        try rtp.setAbsSendTime(RtpAbsSendTime(rawValue: 0x12_3456), extensionId: 3)
        XCTAssertEqual(rtp.size, sizeBefore)
        XCTAssertEqual(rtp.absSendTime(extensionId: 3)?.rawValue, 0x12_3456)
    }

    func testTransportWideSequenceNumberRoundTrip() throws {
        var rtp = plainPacket()
        try rtp.setTransportWideSequenceNumber(0xBEEF, extensionId: 5)
        XCTAssertEqual(rtp.transportWideSequenceNumber(extensionId: 5), 0xBEEF)
        let sizeBefore = rtp.size
        try rtp.setTransportWideSequenceNumber(1, extensionId: 5)
        XCTAssertEqual(rtp.size, sizeBefore)
        XCTAssertEqual(rtp.transportWideSequenceNumber(extensionId: 5), 1)
    }

    func testWrongLengthTypedValuesReadAsNil() throws {
        var rtp = plainPacket()
        try rtp.setHeaderExtension(id: 5, value: [1, 2, 3])
        XCTAssertNil(rtp.transportWideSequenceNumber(extensionId: 5))
        try rtp.setHeaderExtension(id: 4, value: [1, 2])
        XCTAssertNil(rtp.absSendTime(extensionId: 4))
    }

    func testAudioLevelParsesVoiceFlagAndLevel() throws {
        var rtp = plainPacket()
        try rtp.setHeaderExtension(id: 10, value: [0x80 | 30])
        XCTAssertEqual(rtp.audioLevel(extensionId: 10), RtpAudioLevel(voiceActivity: true, level: 30))
        XCTAssertEqual(rtp.audioLevel(extensionId: 10)?.dBov, -30)
        try rtp.setAudioLevel(RtpAudioLevel(voiceActivity: false, level: 127), extensionId: 10)
        XCTAssertEqual(rtp.headerExtension(id: 10).map(RtpTestBytes.bytes), [0x7F])
        XCTAssertEqual(RtpAudioLevel(voiceActivity: false, level: 200).level, 127)
    }

    func testVideoOrientationMapsBitsToDegrees() throws {
        XCTAssertEqual(RtpVideoOrientation(byte: 0x00), RtpVideoOrientation(camera: false, flip: false, rotation: 0))
        XCTAssertEqual(RtpVideoOrientation(byte: 0x01).rotation, 90)
        XCTAssertEqual(RtpVideoOrientation(byte: 0x02).rotation, 180)
        XCTAssertEqual(RtpVideoOrientation(byte: 0x0F), RtpVideoOrientation(camera: true, flip: true, rotation: 270))
        XCTAssertEqual(RtpVideoOrientation(camera: true, flip: false, rotation: 90).byte, 0x09)

        var rtp = plainPacket()
        try rtp.setVideoOrientation(RtpVideoOrientation(camera: false, flip: true, rotation: 180), extensionId: 11)
        XCTAssertEqual(rtp.videoOrientation(extensionId: 11), RtpVideoOrientation(camera: false, flip: true, rotation: 180))
    }

    func testHeaderExtensionUrisMatchMediasoupStrings() {
        XCTAssertEqual(RtpHeaderExtensionUri.mid.rawValue, "urn:ietf:params:rtp-hdrext:sdes:mid")
        XCTAssertEqual(
            RtpHeaderExtensionUri(rawValue: "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
            .transportWideCc01)
        XCTAssertEqual(RtpHeaderExtensionUri(rawValue: "urn:3gpp:video-orientation"), .videoOrientation)
        XCTAssertEqual(
            RtpHeaderExtensionUri.absCaptureTime.rawValue, "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time")
        XCTAssertEqual(RtpHeaderExtensionUri.allCases.count, 12)
    }
}
