import NIOCore
import XCTest

@testable import STUN

final class FingerprintTests: XCTestCase {
    func testCRC32MatchesTheISOHDLCCheckValue() {
        var crc = CRC32()
        Array("123456789".utf8).withUnsafeBytes { crc.update($0) }

        XCTAssertEqual(crc.value, 0xCBF4_3926)
    }

    func testCRC32OfNothingIsZero() {
        XCTAssertEqual(CRC32().value, 0)
    }

    func testFingerprintOnlyMessageVerifiesAndDetectsCorruption() throws {
        let message = StunMessage(messageType: .bindingIndication)
        var encoded = try message.encoded(fingerprint: true)
        XCTAssertEqual(encoded.readableBytes, 28)
        XCTAssertEqual(try StunMessage(decoding: encoded).verifyFingerprint(), .valid)

        encoded.setInteger(UInt8(0xFF), at: 27)

        XCTAssertEqual(try StunMessage(decoding: encoded).verifyFingerprint(), .invalid)
    }

    func testFingerprintIsTheCRCXoredWithTheSTUNConstant() throws {
        let encoded = try StunMessage(messageType: .bindingRequest, attributes: [.software("x")]).encoded(fingerprint: true)
        var crc = CRC32()
        // The header length already counts FINGERPRINT, as the CRC input requires.
        Array(encoded.bytes.prefix(encoded.readableBytes - 8)).withUnsafeBytes { crc.update($0) }

        XCTAssertEqual(encoded.getInteger(at: encoded.readableBytes - 4, as: UInt32.self), crc.value ^ 0x5354_554E)
    }

    func testCrc32MatchesTheByteWiseDefinitionAtEveryLengthAndAlignment() {
        // The classic bit-at-a-time definition, against the sliced one.
        func reference(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return crc ^ 0xFFFF_FFFF
        }
        var generator = SystemRandomNumberGenerator()
        let data = (0..<1100).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        for start in 0..<9 {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 1091 - start] {
                let slice = data[start..<(start + length)]
                var crc = CRC32()
                slice.withUnsafeBytes { crc.update($0) }
                XCTAssertEqual(crc.value, reference(slice), "start \(start), length \(length)")
            }
        }
        var check = CRC32()
        Array("123456789".utf8).withUnsafeBytes { check.update($0) }
        XCTAssertEqual(check.value, 0xCBF4_3926, "the CRC-32 check value")
    }
}
