import NIOCore
import XCTest

@testable import STUN

/// RFC 8489 Appendix B.1 as corrected by erratum 6268 (the published vector has a wrong
/// length, lacks PASSWORD-ALGORITHM and its HMAC does not verify).
final class RFC8489TestVectorTests: XCTestCase {
    private static let request = hexBytes(
        """
        00 01 00 90 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
        00 1e 00 20 4a 3c f3 8f ef 69 92 bd a9 52 c6 78 04 17 da 0f
                    24 81 94 15 56 9e 60 b2 05 c4 6e 41 40 7f 17 04
        00 15 00 29 6f 62 4d 61 74 4a 6f 73 32 41 41 41 43 66 2f 2f 34 39 39 6b
                    39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41 00 00 00
        00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
        00 1d 00 04 00 02 00 00
        00 1c 00 20 b5 c7 bf 00 5b 6c 52 a2 1c 51 c5 e8 92 f8 19 24
                    13 62 96 cb 92 7c 43 14 93 09 27 8c c6 51 8e 65
        """)

    func testSHA256RequestDecodesUserhashNonceRealmAndAlgorithm() throws {
        let message = try StunMessage(decoding: byteBuffer(Self.request))

        XCTAssertEqual(message.nonce, "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA")
        XCTAssertEqual(message.realm, "example.org")
        XCTAssertEqual(message.passwordAlgorithm, .sha256)
        XCTAssertEqual(message.userhash, StunCredentials.userhash(username: RFC5769.longTermUsername, realm: "example.org"))
        XCTAssertEqual(message.integrityAlgorithms, [.hmacSHA256])
    }

    func testSHA256RequestVerifiesWithSHA256LongTermKey() throws {
        let message = try StunMessage(decoding: byteBuffer(Self.request))
        let key = try XCTUnwrap(
            StunCredentials.longTermKey(
                username: RFC5769.longTermUsername, realm: "example.org", password: "TheMatrIX", algorithm: .sha256))
        let md5Key = try XCTUnwrap(
            StunCredentials.longTermKey(username: RFC5769.longTermUsername, realm: "example.org", password: "TheMatrIX"))

        XCTAssertEqual(key.bytes.count, 32)
        XCTAssertEqual(message.verifyMessageIntegrity(key: key), .valid)
        XCTAssertEqual(message.verifyMessageIntegrity(key: md5Key), .invalid)
    }

    func testSHA256RequestReencodesByteForByte() throws {
        let decoded = try StunMessage(decoding: byteBuffer(Self.request))
        let key = try XCTUnwrap(
            StunCredentials.longTermKey(
                username: RFC5769.longTermUsername, realm: "example.org", password: "TheMatrIX", algorithm: .sha256))

        XCTAssertEqual(try decoded.encoded(integrityKey: key, integrityAlgorithms: [.hmacSHA256]).bytes, Self.request)
    }
}
