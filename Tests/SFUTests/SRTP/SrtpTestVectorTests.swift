import XCTest

@testable import SFU

/// Published vectors: RFC 3711 Appendix B (key derivation, AES-CM keystream), RFC 7714 §16/§17
/// (AES-GCM SRTP/SRTCP), and libsrtp's reference AES-CM packet (test/srtp_driver.c).
final class SrtpTestVectorTests: XCTestCase {
    private let hex = SrtpTestSupport.hex

    // MARK: RFC 3711 B.3

    private var b3MasterKey: [UInt8] { hex("E1F97A0D3E018BE0D64FA32C06DE4139") }
    private var b3MasterSalt: [UInt8] { hex("0EC675AD498AFEEBB6960B3AABE6") }

    func testRfc3711AppendixB3DerivesCipherKey() throws {
        let key = try SrtpKeyDerivation.derive(
            masterKey: b3MasterKey, masterSalt: b3MasterSalt, label: .rtpEncryption, length: 16)
        XCTAssertEqual(key, hex("C61E7A93744F39EE10734AFE3FF7A087"))
    }

    func testRfc3711AppendixB3DerivesCipherSalt() throws {
        let salt = try SrtpKeyDerivation.derive(
            masterKey: b3MasterKey, masterSalt: b3MasterSalt, label: .rtpSalt, length: 14)
        XCTAssertEqual(salt, hex("30CBBC08863D8C85D49DB34A9AE1"))
    }

    func testRfc3711AppendixB3DerivesFullAuthenticationKeystream() throws {
        let authentication = try SrtpKeyDerivation.derive(
            masterKey: b3MasterKey, masterSalt: b3MasterSalt, label: .rtpAuthentication, length: 94)
        XCTAssertEqual(
            authentication,
            hex(
                """
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2
                """))
    }

    func testSessionKeysUseTheirLabelsAndLengths() throws {
        let master = try SrtpMasterKey(suite: .aesCm128HmacSha1_80, key: b3MasterKey, salt: b3MasterSalt)
        let rtp = try SrtpSessionKeys(deriving: master, forRtcp: false)
        XCTAssertEqual(rtp.encryptionKey, hex("C61E7A93744F39EE10734AFE3FF7A087"))
        XCTAssertEqual(rtp.salt, hex("30CBBC08863D8C85D49DB34A9AE1"))
        XCTAssertEqual(rtp.authenticationKey, hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"))
        let rtcp = try SrtpSessionKeys(deriving: master, forRtcp: true)
        XCTAssertEqual(
            rtcp.encryptionKey,
            try SrtpKeyDerivation.derive(
                masterKey: b3MasterKey, masterSalt: b3MasterSalt, label: .rtcpEncryption, length: 16))
        XCTAssertNotEqual(rtcp.encryptionKey, rtp.encryptionKey)
        XCTAssertEqual(rtcp.salt.count, 14)
        XCTAssertEqual(rtcp.authenticationKey.count, 20)
    }

    // MARK: RFC 3711 B.2

    func testRfc3711AppendixB2AesCmKeystream() throws {
        let keys = SrtpSessionKeys(
            encryptionKey: hex("2B7E151628AED2A6ABF7158809CF4F3C"),
            salt: hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"),
            authenticationKey: [UInt8](repeating: 0, count: 20))
        let transform = try AesCmTransform(keys: keys, tagLength: 10)
        let blocks = 0xFF02
        var buffer = [UInt8](repeating: 0, count: blocks * 16 + 10)
        // SSRC 0 and index 0 make the IV F0F1...FCFD0000; a zero payload encrypts to the keystream.
        let length = buffer.withUnsafeMutableBytes {
            transform.protectRtp($0.baseAddress!, headerLength: 0, length: blocks * 16, ssrc: 0, index: 0)
        }
        XCTAssertEqual(length, blocks * 16 + 10)
        func block(_ number: Int) -> [UInt8] { Array(buffer[(number * 16)..<(number * 16 + 16)]) }
        XCTAssertEqual(block(0x0000), hex("E03EAD0935C95E80E166B16DD92B4EB4"))
        XCTAssertEqual(block(0x0001), hex("D23513162B02D0F72A43A2FE4A5F97AB"))
        XCTAssertEqual(block(0x0002), hex("41E95B3BB0A2E8DD477901E4FCA894C0"))
        XCTAssertEqual(block(0xFEFF), hex("EC8CDF7398607CB0F2D21675EA9EA1E4"))
        XCTAssertEqual(block(0xFF00), hex("362B7C3C6773516318A077D7FC5073AE"))
        XCTAssertEqual(block(0xFF01), hex("6A2CC3787889374FBEB4C81B17BA6C44"))
    }

    // MARK: libsrtp reference packet (AES_CM_128_HMAC_SHA1_80, SSRC 0xcafebabe)

    private var referenceRtp: [UInt8] { hex("800f1234decafbadcafebabe" + String(repeating: "ab", count: 16)) }
    private var referenceSrtp: [UInt8] {
        hex("800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb")
    }
    private var referenceRtcp: [UInt8] { hex("81c8000bcafebabe" + String(repeating: "ab", count: 16)) }
    private var referenceSrtcp: [UInt8] {
        hex("81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798")
    }

    func testLibsrtpReferencePacketOnBothBackends() throws {
        let master = try SrtpMasterKey(suite: .aesCm128HmacSha1_80, key: b3MasterKey, salt: b3MasterSalt)
        for backend in SrtpBackend.allCases {
            let sender = try SrtpSession(direction: .outbound, masterKey: master, backend: backend)
            XCTAssertEqual(SrtpTestSupport.protectRtp(sender, referenceRtp).srtpSuccess, referenceSrtp, "\(backend)")
            XCTAssertEqual(SrtpTestSupport.protectRtcp(sender, referenceRtcp).srtpSuccess, referenceSrtcp, "\(backend)")

            let receiver = try SrtpSession(direction: .inbound, masterKey: master, backend: backend)
            XCTAssertEqual(
                SrtpTestSupport.unprotectRtp(receiver, referenceSrtp).srtpSuccess, referenceRtp, "\(backend)")
            XCTAssertEqual(
                SrtpTestSupport.unprotectRtcp(receiver, referenceSrtcp).srtpSuccess, referenceRtcp, "\(backend)")
        }
    }

    // MARK: RFC 7714 §16 / §17

    private let rfc7714Key128 = SrtpTestSupport.hex("000102030405060708090a0b0c0d0e0f")
    private let rfc7714Key256 = SrtpTestSupport.hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    private let rfc7714Salt = SrtpTestSupport.hex("517569642070726f2071756f")
    private var rfc7714Rtp: [UInt8] {
        hex("8040f17b8041f8d35501a0b2 47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573")
    }
    private var rfc7714Rtcp: [UInt8] {
        hex("81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef")
    }

    /// RFC 7714 states its vectors with session keys: key them directly, skipping the KDF.
    private func rfc7714Session(_ suite: SrtpCryptoSuite, _ direction: SrtpDirection) throws -> OpenSslSrtpSession {
        let keys = SrtpSessionKeys(
            encryptionKey: suite == .aeadAes256Gcm ? rfc7714Key256 : rfc7714Key128,
            salt: rfc7714Salt, authenticationKey: [])
        return try OpenSslSrtpSession(direction: direction, suite: suite, rtpKeys: keys, rtcpKeys: keys)
    }

    func testRfc7714Section16AeadAes128GcmSrtp() throws {
        let expected = hex(
            """
            8040f17b8041f8d35501a0b2 f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f
            42a5f47a51c7d19b36de3adf8833 899d7f27beb16a9152cf765ee4390cce
            """)
        try checkRtpVector(.aeadAes128Gcm, expected: expected)
    }

    func testRfc7714Section16AeadAes256GcmSrtp() throws {
        let expected = hex(
            """
            8040f17b8041f8d35501a0b2 32b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3
            b50b2a0276ffae0f1ba63799b87b 7aa3db36dfffd6b0f9bb7878d7a76c13
            """)
        try checkRtpVector(.aeadAes256Gcm, expected: expected)
    }

    private func checkRtpVector(_ suite: SrtpCryptoSuite, expected: [UInt8]) throws {
        let sender = try rfc7714Session(suite, .outbound)
        XCTAssertEqual(SrtpTestSupport.protectRtp(sender, rfc7714Rtp).srtpSuccess, expected)
        let receiver = try rfc7714Session(suite, .inbound)
        XCTAssertEqual(SrtpTestSupport.unprotectRtp(receiver, expected).srtpSuccess, rfc7714Rtp)
    }

    func testRfc7714Section17AeadAes128GcmSrtcp() throws {
        let expected = hex(
            """
            81c8000d4d617273 63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda
            4ce09b4686303ded0bb9275b c84aa45896cf4d2fc5abf87245d9eade 800005d4
            """)
        try checkRtcpVector(.aeadAes128Gcm, expected: expected)
    }

    func testRfc7714Section17AeadAes256GcmSrtcp() throws {
        let expected = hex(
            """
            81c8000d4d617273 d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be
            8415f658c61de0476f1b6fad 1d1eb30c4446839f57ff6f6cb26ac3be 800005d4
            """)
        try checkRtcpVector(.aeadAes256Gcm, expected: expected)
    }

    /// The vectors use SRTCP index 0x5d4; our sender numbers from 1, so send 0x5d3 first.
    private func checkRtcpVector(_ suite: SrtpCryptoSuite, expected: [UInt8]) throws {
        let sender = try rfc7714Session(suite, .outbound)
        for _ in 1..<0x5D4 { XCTAssertNotNil(SrtpTestSupport.protectRtcp(sender, rfc7714Rtcp).srtpSuccess) }
        XCTAssertEqual(SrtpTestSupport.protectRtcp(sender, rfc7714Rtcp).srtpSuccess, expected)
        let receiver = try rfc7714Session(suite, .inbound)
        XCTAssertEqual(SrtpTestSupport.unprotectRtcp(receiver, expected).srtpSuccess, rfc7714Rtcp)
    }

    func testRfc7714Section17AuthenticatedButUnencryptedSrtcp() throws {
        let tagged = rfc7714Rtcp + hex("841dd9683dd78ec92ae58790125f62b3 000005d4")
        let receiver = try rfc7714Session(.aeadAes128Gcm, .inbound)
        XCTAssertEqual(SrtpTestSupport.unprotectRtcp(receiver, tagged).srtpSuccess, rfc7714Rtcp)
        var forged = tagged
        forged[20] ^= 0x01
        let fresh = try rfc7714Session(.aeadAes128Gcm, .inbound)
        XCTAssertEqual(SrtpTestSupport.unprotectRtcp(fresh, forged).srtpFailure, .authenticationFailed)
    }
}
