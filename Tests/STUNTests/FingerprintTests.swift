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
}
