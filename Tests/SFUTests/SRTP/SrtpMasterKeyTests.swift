import XCTest

@testable import SFU

final class SrtpMasterKeyTests: XCTestCase {
    func testSuitesCarryMediasoupNamesAndRfcLengths() {
        XCTAssertEqual(
            SrtpCryptoSuite.allCases.map(\.rawValue),
            ["AEAD_AES_256_GCM", "AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"])
        let lengths = SrtpCryptoSuite.allCases.map {
            [$0.masterKeyLength, $0.masterSaltLength, $0.rtpAuthTagLength, $0.rtcpAuthTagLength, $0.dtlsExportLength]
        }
        XCTAssertEqual(
            lengths, [[32, 12, 16, 16, 88], [16, 12, 16, 16, 56], [16, 14, 10, 10, 60], [16, 14, 4, 10, 60]])
        for suite in SrtpCryptoSuite.allCases {
            XCTAssertEqual(SrtpCryptoSuite(dtlsProtectionProfileId: suite.dtlsProtectionProfileId), suite)
            XCTAssertEqual(SrtpCryptoSuite(openSslProfileName: suite.openSslProfileName), suite)
        }
        XCTAssertNil(SrtpCryptoSuite(dtlsProtectionProfileId: 0x0005))
    }

    func testSdesKeyBase64RoundTrips() throws {
        let keyAndSalt = (0..<30).map { UInt8($0) }
        let key = try SrtpMasterKey(suite: .aesCm128HmacSha1_80, keyAndSalt: keyAndSalt)
        XCTAssertEqual(key.keyBase64, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd")
        let parsed = try SrtpMasterKey(cryptoSuite: "AES_CM_128_HMAC_SHA1_80", keyBase64: key.keyBase64)
        XCTAssertEqual(parsed, key)
        XCTAssertEqual(parsed.key, Array(keyAndSalt[0..<16]))
        XCTAssertEqual(parsed.salt, Array(keyAndSalt[16..<30]))
        XCTAssertFalse("\(parsed)".contains(key.keyBase64), "description must not leak the key")
    }

    func testBadSdesKeysAreRejected() {
        XCTAssertThrowsError(try SrtpMasterKey(cryptoSuite: "AES_CM_128_NULL_AUTH", keyBase64: "AAAA")) {
            XCTAssertEqual($0 as? SrtpConfigurationError, .unknownCryptoSuite("AES_CM_128_NULL_AUTH"))
        }
        XCTAssertThrowsError(try SrtpMasterKey(suite: .aeadAes128Gcm, keyBase64: "not base64!")) {
            XCTAssertEqual($0 as? SrtpConfigurationError, .invalidBase64)
        }
        // 30 bytes is an AES-CM key; AEAD_AES_128_GCM needs 28.
        XCTAssertThrowsError(
            try SrtpMasterKey(suite: .aeadAes128Gcm, keyBase64: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd")
        ) {
            XCTAssertEqual(
                $0 as? SrtpConfigurationError, .invalidKeyLength(suite: .aeadAes128Gcm, expected: 28, actual: 30))
        }
    }

    func testDtlsExportIsSplitPerRfc5764() throws {
        let suite = SrtpCryptoSuite.aeadAes128Gcm
        // client key (16 × 0x01), server key (16 × 0x02), client salt (12 × 0x03), server salt (12 × 0x04)
        let material =
            [UInt8](repeating: 1, count: 16) + [UInt8](repeating: 2, count: 16)
            + [UInt8](repeating: 3, count: 12) + [UInt8](repeating: 4, count: 12)
        let asClient = try SrtpMasterKey.dtlsExport(material, suite: suite, localIsClient: true)
        XCTAssertEqual(asClient.outbound.key, [UInt8](repeating: 1, count: 16))
        XCTAssertEqual(asClient.outbound.salt, [UInt8](repeating: 3, count: 12))
        XCTAssertEqual(asClient.inbound.key, [UInt8](repeating: 2, count: 16))
        XCTAssertEqual(asClient.inbound.salt, [UInt8](repeating: 4, count: 12))
        let asServer = try SrtpMasterKey.dtlsExport(material, suite: suite, localIsClient: false)
        XCTAssertEqual(asServer.outbound, asClient.inbound)
        XCTAssertEqual(asServer.inbound, asClient.outbound)
        XCTAssertThrowsError(
            try SrtpMasterKey.dtlsExport(Array(material.dropLast()), suite: suite, localIsClient: true))
    }

    func testDtlsPeersInterwork() throws {
        for suite in SrtpCryptoSuite.allCases {
            let material = (0..<suite.dtlsExportLength).map { UInt8(truncatingIfNeeded: $0 &* 5) }
            let client = try SrtpMasterKey.dtlsExport(material, suite: suite, localIsClient: true)
            let server = try SrtpMasterKey.dtlsExport(material, suite: suite, localIsClient: false)
            let clientSend = try SrtpSession(direction: .outbound, masterKey: client.outbound)
            let serverReceive = try SrtpSession(direction: .inbound, masterKey: server.inbound, backend: .libsrtp)
            let packet = SrtpTestSupport.rtpPacket(ssrc: 1, sequenceNumber: 1)
            let protected = SrtpTestSupport.protectRtp(clientSend, packet).srtpSuccess!
            XCTAssertEqual(SrtpTestSupport.unprotectRtp(serverReceive, protected).srtpSuccess, packet, "\(suite)")
        }
    }

    func testRandomKeysDiffer() throws {
        let first = try SrtpMasterKey.random(suite: .aeadAes256Gcm)
        let second = try SrtpMasterKey.random(suite: .aeadAes256Gcm)
        XCTAssertEqual(first.keyAndSalt.count, 44)
        XCTAssertNotEqual(first, second)
    }
}
