/// The session keys RFC 3711 §4.3 derives from one master key for one of SRTP or SRTCP.
struct SrtpSessionKeys {
    let encryptionKey: [UInt8]
    /// 14 bytes for AES-CM, 12 for AES-GCM.
    let salt: [UInt8]
    /// The HMAC-SHA1 key; empty for AEAD suites.
    let authenticationKey: [UInt8]

    init(encryptionKey: [UInt8], salt: [UInt8], authenticationKey: [UInt8]) {
        self.encryptionKey = encryptionKey
        self.salt = salt
        self.authenticationKey = authenticationKey
    }

    /// Derives the SRTP (labels 0, 1, 2) or SRTCP (labels 3, 4, 5) keys of `master`.
    init(deriving master: SrtpMasterKey, forRtcp: Bool) throws(SrtpConfigurationError) {
        let suite = master.suite
        encryptionKey = try SrtpKeyDerivation.derive(
            masterKey: master.key, masterSalt: master.salt,
            label: forRtcp ? .rtcpEncryption : .rtpEncryption, length: suite.masterKeyLength)
        salt = try SrtpKeyDerivation.derive(
            masterKey: master.key, masterSalt: master.salt,
            label: forRtcp ? .rtcpSalt : .rtpSalt, length: suite.masterSaltLength)
        authenticationKey =
            suite.isAead
            ? []
            : try SrtpKeyDerivation.derive(
                masterKey: master.key, masterSalt: master.salt,
                label: forRtcp ? .rtcpAuthentication : .rtpAuthentication,
                length: suite.authenticationKeyLength)
    }
}
