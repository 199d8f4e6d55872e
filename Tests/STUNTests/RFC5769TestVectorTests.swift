import NIOCore
import XCTest

@testable import STUN

final class RFC5769TestVectorTests: XCTestCase {
    private let shortTermKey = StunCredentials.shortTermKey(password: RFC5769.shortTermPassword)

    func testSampleRequestDecodesEveryAttribute() throws {
        let message = try StunMessage(decoding: byteBuffer(RFC5769.sampleRequest))

        XCTAssertEqual(message.messageType, .bindingRequest)
        XCTAssertEqual(message.transactionID.bytes, RFC5769.transactionID)
        XCTAssertEqual(message.software, "STUN test client")
        XCTAssertEqual(message.priority, 0x6E00_01FF)
        XCTAssertEqual(message.iceControlled, 0x932F_F9B1_5126_3B36)
        XCTAssertEqual(message.username, "evtj:h6vY")
        XCTAssertEqual(
            message.attributes.map(\.type),
            [.software, .priority, .iceControlled, .username, .messageIntegrity, .fingerprint])
        XCTAssertEqual(message.unknownComprehensionRequiredAttributes, [])
    }

    func testSampleRequestIntegrityAndFingerprintVerify() throws {
        let message = try StunMessage(decoding: byteBuffer(RFC5769.sampleRequest))

        XCTAssertEqual(message.verifyMessageIntegrity(key: self.shortTermKey), .valid)
        XCTAssertEqual(message.verifyMessageIntegrity(key: StunCredentials.shortTermKey(password: "wrong")), .invalid)
        XCTAssertEqual(message.verifyFingerprint(), .valid)
        XCTAssertEqual(message.integrityAlgorithms, [.hmacSHA1])
    }

    func testIPv4ResponseDecodesXorMappedAddress() throws {
        let message = try StunMessage(decoding: byteBuffer(RFC5769.ipv4Response))

        XCTAssertEqual(message.messageType, .bindingSuccessResponse)
        XCTAssertEqual(message.software, "test vector")
        XCTAssertEqual(message.xorMappedAddress, StunAddress(ipv4: 0xC000_0201, port: 32853))
        XCTAssertEqual(message.xorMappedAddress?.description, "192.0.2.1:32853")
        XCTAssertEqual(message.verifyMessageIntegrity(key: self.shortTermKey), .valid)
        XCTAssertEqual(message.verifyFingerprint(), .valid)
    }

    func testIPv6ResponseDecodesXorMappedAddress() throws {
        let message = try StunMessage(decoding: byteBuffer(RFC5769.ipv6Response))

        let expected = StunAddress(ipAddress: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853)
        XCTAssertNotNil(expected)
        XCTAssertEqual(message.xorMappedAddress, expected)
        XCTAssertEqual(message.xorMappedAddress?.description, "[2001:db8:1234:5678:11:2233:4455:6677]:32853")
        XCTAssertEqual(message.verifyMessageIntegrity(key: self.shortTermKey), .valid)
        XCTAssertEqual(message.verifyFingerprint(), .valid)
    }

    func testXorMappedAddressEncodesToTheVectorBytes() throws {
        let transactionID = try XCTUnwrap(StunTransactionID(bytes: RFC5769.transactionID))
        let ipv4 = StunMessage(
            messageType: .bindingSuccessResponse, transactionID: transactionID,
            attributes: [.xorMappedAddress(StunAddress(ipv4: 0xC000_0201, port: 32853))])
        let ipv6 = StunMessage(
            messageType: .bindingSuccessResponse, transactionID: transactionID,
            attributes: [.xorMappedAddress(try XCTUnwrap(StunAddress(ipAddress: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853)))])

        XCTAssertEqual(try ipv4.encoded().bytes.suffix(12), RFC5769.ipv4Response[36..<48])
        XCTAssertEqual(try ipv6.encoded().bytes.suffix(24), RFC5769.ipv6Response[36..<60])
    }

    func testLongTermRequestVerifiesWithMD5Key() throws {
        let message = try StunMessage(decoding: byteBuffer(RFC5769.longTermRequest))
        let key = try XCTUnwrap(
            StunCredentials.longTermKey(
                username: RFC5769.longTermUsername, realm: RFC5769.longTermRealm, password: RFC5769.longTermPassword))

        XCTAssertEqual(message.username, "マトリックス")
        XCTAssertEqual(message.username, RFC5769.longTermUsername)
        XCTAssertEqual(message.nonce, RFC5769.longTermNonce)
        XCTAssertEqual(message.realm, RFC5769.longTermRealm)
        XCTAssertEqual(message.verifyMessageIntegrity(key: key), .valid)
        XCTAssertEqual(message.verifyFingerprint(), .absent)
        let wrongKey = StunCredentials.longTermKey(
            username: RFC5769.longTermUsername, realm: RFC5769.longTermRealm, password: "thematrix")
        XCTAssertEqual(message.verifyMessageIntegrity(key: try XCTUnwrap(wrongKey)), .invalid)
    }

    func testLongTermRequestReencodesByteForByte() throws {
        let decoded = try StunMessage(decoding: byteBuffer(RFC5769.longTermRequest))
        let key = try XCTUnwrap(
            StunCredentials.longTermKey(
                username: RFC5769.longTermUsername, realm: RFC5769.longTermRealm, password: RFC5769.longTermPassword))

        let rebuilt = StunMessage(
            messageType: .bindingRequest, transactionID: decoded.transactionID,
            attributes: [
                .username(RFC5769.longTermUsername), .nonce(RFC5769.longTermNonce), .realm(RFC5769.longTermRealm),
            ])

        XCTAssertEqual(try rebuilt.encoded(integrityKey: key).bytes, RFC5769.longTermRequest)
        // Re-encoding the decoded message itself recomputes MESSAGE-INTEGRITY instead of copying it.
        XCTAssertEqual(try decoded.encoded(integrityKey: key).bytes, RFC5769.longTermRequest)
    }

    func testVectorsDecodeFromByteArraysAsFromBuffers() throws {
        for vector in RFC5769.all {
            XCTAssertEqual(try StunMessage(decoding: vector), try StunMessage(decoding: byteBuffer(vector)))
        }
    }

    func testDecodingDoesNotMoveTheReaderIndexAndHonoursIt() throws {
        var buffer = ByteBuffer(bytes: [0xAA, 0xBB] + RFC5769.sampleRequest)
        buffer.moveReaderIndex(forwardBy: 2)

        let message = try StunMessage(decoding: buffer)

        XCTAssertEqual(buffer.readerIndex, 2)
        XCTAssertEqual(message.verifyMessageIntegrity(key: self.shortTermKey), .valid)
        XCTAssertEqual(message.verifyFingerprint(), .valid)
    }
}
