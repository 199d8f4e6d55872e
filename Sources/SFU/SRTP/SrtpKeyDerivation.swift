/// The SRTP key derivation function of RFC 3711 §4.3 with the AES-CM PRF (§4.3.3), key
/// derivation rate 0 (the only rate DTLS-SRTP and mediasoup use).
///
/// For label `l`, the PRF input block is `(master_salt XOR (l << 48)) << 16`, encrypted in
/// counter mode under the master key; the session key is the first `length` bytes of that
/// keystream. AEAD suites (RFC 7714 §11) have a 96-bit master salt, which libsrtp (and so every
/// browser) left-aligns, padding it with two zero bytes to the 112 bits the PRF expects; we do
/// the same.
enum SrtpKeyDerivation {
    /// RFC 3711 §4.3.2 labels.
    enum Label: UInt8 {
        case rtpEncryption = 0
        case rtpAuthentication = 1
        case rtpSalt = 2
        case rtcpEncryption = 3
        case rtcpAuthentication = 4
        case rtcpSalt = 5
    }

    static func derive(
        masterKey: [UInt8],
        masterSalt: [UInt8],
        label: Label,
        length: Int
    ) throws(SrtpConfigurationError) -> [UInt8] {
        precondition(masterSalt.count <= 14, "master salt longer than 112 bits")
        let algorithm: String
        switch masterKey.count {
        case 16: algorithm = "AES-128-CTR"
        case 32: algorithm = "AES-256-CTR"
        default: throw .openSsl(operation: "SRTP KDF with a \(masterKey.count)-byte master key")
        }
        var iv = [UInt8](repeating: 0, count: 16)
        for (index, byte) in masterSalt.enumerated() { iv[index] = byte }
        iv[7] ^= label.rawValue
        let context = try EvpCipherContext(algorithm: algorithm, key: masterKey)
        var keystream = [UInt8](repeating: 0, count: length)
        let ok = iv.withUnsafeBytes { ivBytes in
            keystream.withUnsafeMutableBytes { output in
                context.reset(iv: ivBytes.baseAddress!, encrypt: true)
                    && context.update(output.baseAddress!, count: length)
            }
        }
        guard ok else { throw .openSsl(operation: "SRTP KDF AES-CM") }
        return keystream
    }
}
