import COpenSSL

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One direction's SRTP master key and master salt, for one crypto suite.
///
/// Comes either from the DTLS-SRTP exporter (``dtlsExport(_:suite:localIsClient:)``, WebRTC
/// transports) or from SDES-style signaling (``init(suite:keyBase64:)``, mediasoup's
/// `srtpParameters: { cryptoSuite, keyBase64 }` on plain transports).
///
/// `description` never prints the key material.
public struct SrtpMasterKey: Sendable, Equatable {
    public let suite: SrtpCryptoSuite
    public let key: [UInt8]
    public let salt: [UInt8]

    public init(suite: SrtpCryptoSuite, key: [UInt8], salt: [UInt8]) throws(SrtpConfigurationError) {
        guard key.count == suite.masterKeyLength else {
            throw .invalidKeyLength(suite: suite, expected: suite.masterKeyLength, actual: key.count)
        }
        guard salt.count == suite.masterSaltLength else {
            throw .invalidKeyLength(suite: suite, expected: suite.masterSaltLength, actual: salt.count)
        }
        self.suite = suite
        self.key = key
        self.salt = salt
    }

    /// Key material laid out as SDES `inline:` and libsrtp's `policy.key` carry it: key ‖ salt.
    public init(suite: SrtpCryptoSuite, keyAndSalt: [UInt8]) throws(SrtpConfigurationError) {
        guard keyAndSalt.count == suite.masterKeyAndSaltLength else {
            throw .invalidKeyLength(suite: suite, expected: suite.masterKeyAndSaltLength, actual: keyAndSalt.count)
        }
        try self.init(
            suite: suite,
            key: Array(keyAndSalt[..<suite.masterKeyLength]),
            salt: Array(keyAndSalt[suite.masterKeyLength...]))
    }

    /// mediasoup's `srtpParameters.keyBase64` (the SDES `inline:` value without lifetime/MKI):
    /// base64 of key ‖ salt.
    public init(suite: SrtpCryptoSuite, keyBase64: String) throws(SrtpConfigurationError) {
        guard let data = Data(base64Encoded: keyBase64) else { throw .invalidBase64 }
        try self.init(suite: suite, keyAndSalt: Array(data))
    }

    /// mediasoup's `srtpParameters` as signaled: `{ cryptoSuite: "AES_CM_128_HMAC_SHA1_80", keyBase64 }`.
    public init(cryptoSuite: String, keyBase64: String) throws(SrtpConfigurationError) {
        guard let suite = SrtpCryptoSuite(rawValue: cryptoSuite) else { throw .unknownCryptoSuite(cryptoSuite) }
        try self.init(suite: suite, keyBase64: keyBase64)
    }

    /// Key ‖ salt, the SDES / libsrtp layout.
    public var keyAndSalt: [UInt8] { key + salt }

    /// Base64 of key ‖ salt, for the SFU's own `srtpParameters.keyBase64`.
    public var keyBase64: String { Data(keyAndSalt).base64EncodedString() }

    /// A fresh random master key, for the local side of a plain transport with SRTP enabled.
    public static func random(suite: SrtpCryptoSuite) throws(SrtpConfigurationError) -> SrtpMasterKey {
        var bytes = [UInt8](repeating: 0, count: suite.masterKeyAndSaltLength)
        let status = bytes.withUnsafeMutableBytes { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard status == 1 else { throw .openSsl(operation: "RAND_bytes") }
        return try SrtpMasterKey(suite: suite, keyAndSalt: bytes)
    }

    /// Splits DTLS-SRTP exported keying material (label `EXTRACTOR-dtls_srtp`,
    /// ``SrtpCryptoSuite/dtlsExportLength`` bytes) into the two directions' master keys.
    ///
    /// RFC 5764 §4.2 lays it out as client key, server key, client salt, server salt; the DTLS
    /// client sends with the client key. So the local side's keys protect what we send
    /// (`outbound`) and the remote side's keys unprotect what we receive (`inbound`).
    public static func dtlsExport(
        _ keyingMaterial: [UInt8],
        suite: SrtpCryptoSuite,
        localIsClient: Bool
    ) throws(SrtpConfigurationError) -> (outbound: SrtpMasterKey, inbound: SrtpMasterKey) {
        guard keyingMaterial.count == suite.dtlsExportLength else {
            throw .invalidKeyLength(suite: suite, expected: suite.dtlsExportLength, actual: keyingMaterial.count)
        }
        let keyLength = suite.masterKeyLength
        let saltLength = suite.masterSaltLength
        let saltsStart = 2 * keyLength
        let client = try SrtpMasterKey(
            suite: suite,
            key: Array(keyingMaterial[0..<keyLength]),
            salt: Array(keyingMaterial[saltsStart..<saltsStart + saltLength]))
        let server = try SrtpMasterKey(
            suite: suite,
            key: Array(keyingMaterial[keyLength..<saltsStart]),
            salt: Array(keyingMaterial[(saltsStart + saltLength)...]))
        return localIsClient ? (outbound: client, inbound: server) : (outbound: server, inbound: client)
    }
}

extension SrtpMasterKey: CustomStringConvertible {
    public var description: String { "SrtpMasterKey(\(suite.rawValue), <redacted>)" }
}
