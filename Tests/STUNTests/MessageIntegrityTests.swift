import NIOCore
import XCTest

@testable import STUN

final class MessageIntegrityTests: XCTestCase {
    private let key = StunCredentials.shortTermKey(password: "s3cret-ice-pwd")
    private let request = StunMessage(
        messageType: .bindingRequest,
        attributes: [.username("remote:local"), .priority(12345), .iceControlling(tieBreaker: 99), .useCandidate])

    func testEncoderIntegrityAndFingerprintVerify() throws {
        let decoded = try StunMessage(decoding: self.request.encoded(integrityKey: self.key, fingerprint: true))

        XCTAssertEqual(decoded.verifyMessageIntegrity(key: self.key), .valid)
        XCTAssertEqual(decoded.verifyFingerprint(), .valid)
        XCTAssertEqual(decoded.attributes.suffix(2).map(\.type), [.messageIntegrity, .fingerprint])
    }

    func testBothIntegrityAlgorithmsAreWrittenInRFCOrderAndVerify() throws {
        let encoded = try self.request.encoded(
            integrityKey: self.key, integrityAlgorithms: [.hmacSHA256, .hmacSHA1], fingerprint: true)
        let decoded = try StunMessage(decoding: encoded)

        XCTAssertEqual(
            decoded.attributes.suffix(3).map(\.type), [.messageIntegrity, .messageIntegritySHA256, .fingerprint])
        XCTAssertEqual(decoded.integrityAlgorithms, [.hmacSHA1, .hmacSHA256])
        XCTAssertEqual(decoded.verifyMessageIntegrity(key: self.key), .valid)
        XCTAssertEqual(decoded.verifyFingerprint(), .valid)
    }

    func testSHA256OnlyIntegrityVerifies() throws {
        let decoded = try StunMessage(
            decoding: self.request.encoded(integrityKey: self.key, integrityAlgorithms: [.hmacSHA256]))

        XCTAssertEqual(decoded.integrityAlgorithms, [.hmacSHA256])
        XCTAssertEqual(decoded.verifyMessageIntegrity(key: self.key), .valid)
        XCTAssertEqual(decoded.verifyMessageIntegrity(key: StunIntegrityKey(bytes: [1])), .invalid)
    }

    func testTruncatedSHA256IntegrityIsComparedOnItsLength() throws {
        var encoded = try self.request.encoded()
        let length = encoded.readableBytes - 20 + 4 + 16
        let code = MessageIntegrity.code(
            .hmacSHA256, key: self.key, message: encoded, start: 0, lengthField: UInt16(length))
        encoded.writeInteger(StunAttributeType.messageIntegritySHA256.rawValue)
        encoded.writeInteger(UInt16(16))
        encoded.writeBytes(code.prefix(16))
        encoded.setInteger(UInt16(length), at: 2)

        let decoded = try StunMessage(decoding: encoded)

        XCTAssertEqual(decoded.verifyMessageIntegrity(key: self.key), .valid)
    }

    func testEveryTamperedByteFailsVerification() throws {
        let encoded = try self.request.encoded(integrityKey: self.key, fingerprint: true).bytes
        for index in encoded.indices {
            var tampered = encoded
            tampered[index] ^= 0x01
            guard let decoded = try? StunMessage(decoding: tampered) else { continue }
            let integrity = decoded.verifyMessageIntegrity(key: self.key)
            let fingerprint = decoded.verifyFingerprint()
            XCTAssertFalse(integrity == .valid && fingerprint == .valid, "flipping byte \(index) went unnoticed")
            if index < encoded.count - 8 {
                XCTAssertNotEqual(integrity, .valid, "flipping byte \(index) kept MESSAGE-INTEGRITY valid")
            }
        }
    }

    func testAttributesAfterIntegrityAreIgnoredAndDoNotBreakIt() throws {
        var encoded = try self.request.encoded(integrityKey: self.key)
        encoded.writeBytes([0x00, 0x13, 0x00, 0x04, 1, 2, 3, 4])  // DATA after MESSAGE-INTEGRITY
        encoded.setInteger(UInt16(encoded.readableBytes - 20), at: 2)

        let decoded = try StunMessage(decoding: encoded)

        XCTAssertNil(decoded.data)
        XCTAssertEqual(decoded.attributes.last?.type, .messageIntegrity)
        XCTAssertEqual(decoded.verifyMessageIntegrity(key: self.key), .valid)
    }

    func testAttributesAfterFingerprintAreIgnored() throws {
        var encoded = try self.request.encoded(integrityKey: self.key, fingerprint: true)
        encoded.writeBytes([0x80, 0x22, 0x00, 0x04, 0x41, 0x42, 0x43, 0x44])  // SOFTWARE after FINGERPRINT
        encoded.setInteger(UInt16(encoded.readableBytes - 20), at: 2)

        let decoded = try StunMessage(decoding: encoded)

        XCTAssertNil(decoded.software)
        XCTAssertEqual(decoded.attributes.last?.type, .fingerprint)
        XCTAssertEqual(decoded.verifyFingerprint(), .valid)
        XCTAssertEqual(decoded.verifyMessageIntegrity(key: self.key), .valid)
    }

    func testMessagesWithoutIntegrityOrNotDecodedReportAbsent() throws {
        let decoded = try StunMessage(decoding: self.request.encoded())

        XCTAssertEqual(decoded.verifyMessageIntegrity(key: self.key), .absent)
        XCTAssertEqual(decoded.verifyFingerprint(), .absent)
        XCTAssertEqual(self.request.verifyMessageIntegrity(key: self.key), .absent)
        XCTAssertEqual(self.request.verifyFingerprint(), .absent)
    }

    func testDecodedIntegrityAttributesAreRecomputedNotCopied() throws {
        let decoded = try StunMessage(decoding: self.request.encoded(integrityKey: self.key, fingerprint: true))
        let otherKey = StunCredentials.shortTermKey(password: "other")

        let reencoded = try StunMessage(decoding: decoded.encoded(integrityKey: otherKey, fingerprint: true))

        XCTAssertEqual(reencoded.verifyMessageIntegrity(key: otherKey), .valid)
        XCTAssertEqual(reencoded.verifyFingerprint(), .valid)
        XCTAssertEqual(reencoded.attributes.filter { $0.type == .messageIntegrity }.count, 1)
        XCTAssertEqual(try decoded.encoded(), try self.request.encoded())
    }

    func testSuccessResponseCarriesXorMappedAddressIntegrityAndFingerprint() throws {
        let received = try StunMessage(decoding: self.request.encoded(integrityKey: self.key, fingerprint: true))
        XCTAssertEqual(received.verifyMessageIntegrity(key: self.key), .valid)
        let source = try XCTUnwrap(StunAddress(ipAddress: "203.0.113.9", port: 50000))

        let response = StunMessage.successResponse(to: received, attributes: [.xorMappedAddress(source)])
        let wire = try response.encoded(
            integrityKey: self.key, integrityAlgorithms: received.integrityAlgorithms, fingerprint: true)
        let decoded = try StunMessage(decoding: wire)

        XCTAssertEqual(decoded.messageType, .bindingSuccessResponse)
        XCTAssertEqual(decoded.transactionID, received.transactionID)
        XCTAssertEqual(decoded.xorMappedAddress, source)
        XCTAssertEqual(decoded.verifyMessageIntegrity(key: self.key), .valid)
        XCTAssertEqual(decoded.verifyFingerprint(), .valid)
    }

    func testErrorResponsePutsErrorCodeFirst() throws {
        let response = StunMessage.errorResponse(
            to: self.request, error: .unknownAttribute, attributes: [.unknownAttributes([StunAttributeType(rawValue: 0x0031)])])

        let decoded = try StunMessage(decoding: response.encoded())

        XCTAssertEqual(decoded.messageType, .bindingErrorResponse)
        XCTAssertEqual(decoded.transactionID, self.request.transactionID)
        XCTAssertEqual(decoded.errorCode, .unknownAttribute)
        XCTAssertEqual(decoded.attributes.first, .errorCode(.unknownAttribute))
    }
}
