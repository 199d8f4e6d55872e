/// An SRTP protection profile, named as mediasoup names it in `srtpParameters.cryptoSuite`
/// (which are also the SDES crypto-suite names of RFC 4568 and RFC 7714).
///
/// The lengths are those of RFC 3711 §8.2 / RFC 5764 §4.1.2 (AES-CM) and RFC 7714 §12/§14.2
/// (AEAD). `AES_CM_128_HMAC_SHA1_32` shortens only the SRTP tag: SRTCP keeps the 80-bit tag
/// (RFC 5764 §4.1.2), as libsrtp and mediasoup do.
public enum SrtpCryptoSuite: String, Sendable, Hashable, Codable, CaseIterable {
    case aeadAes256Gcm = "AEAD_AES_256_GCM"
    case aeadAes128Gcm = "AEAD_AES_128_GCM"
    case aesCm128HmacSha1_80 = "AES_CM_128_HMAC_SHA1_80"
    case aesCm128HmacSha1_32 = "AES_CM_128_HMAC_SHA1_32"

    /// Whether this is an AEAD (AES-GCM) suite, which has no separate authentication key.
    public var isAead: Bool {
        switch self {
        case .aeadAes256Gcm, .aeadAes128Gcm: true
        case .aesCm128HmacSha1_80, .aesCm128HmacSha1_32: false
        }
    }

    /// Length of the master key, which is also the length of the derived cipher keys.
    public var masterKeyLength: Int {
        switch self {
        case .aeadAes256Gcm: 32
        case .aeadAes128Gcm, .aesCm128HmacSha1_80, .aesCm128HmacSha1_32: 16
        }
    }

    /// Length of the master salt, which is also the length of the derived session salts.
    public var masterSaltLength: Int { isAead ? 12 : 14 }

    /// Length of key plus salt: what SDES `inline:` (mediasoup's `keyBase64`) carries.
    public var masterKeyAndSaltLength: Int { masterKeyLength + masterSaltLength }

    /// Length of the DTLS-SRTP exported keying material (RFC 5764 §4.2): both directions'
    /// keys, then both directions' salts.
    public var dtlsExportLength: Int { 2 * masterKeyAndSaltLength }

    /// Length of the derived HMAC-SHA1 key (RFC 3711 §8.2); zero for AEAD suites.
    public var authenticationKeyLength: Int { isAead ? 0 : 20 }

    /// Bytes SRTP appends to an RTP packet: the authentication tag (no MKI is ever used).
    public var rtpAuthTagLength: Int {
        switch self {
        case .aeadAes256Gcm, .aeadAes128Gcm: 16
        case .aesCm128HmacSha1_80: 10
        case .aesCm128HmacSha1_32: 4
        }
    }

    /// Length of the SRTCP authentication tag: 80 bits for both AES-CM suites.
    public var rtcpAuthTagLength: Int { isAead ? 16 : 10 }

    /// Bytes `protectRtp` appends; a buffer must have this much room past the packet.
    public var rtpTrailerLength: Int { rtpAuthTagLength }

    /// Bytes `protectRtcp` appends: the tag plus the 4-byte E flag and SRTCP index.
    public var rtcpTrailerLength: Int { rtcpAuthTagLength + 4 }

    /// The DTLS-SRTP protection profile identifier (RFC 5764 §4.1.2, RFC 7714 §14.2).
    public var dtlsProtectionProfileId: UInt16 {
        switch self {
        case .aesCm128HmacSha1_80: 0x0001
        case .aesCm128HmacSha1_32: 0x0002
        case .aeadAes128Gcm: 0x0007
        case .aeadAes256Gcm: 0x0008
        }
    }

    /// OpenSSL's name for the profile, as `SSL_CTX_set_tlsext_use_srtp` takes it and
    /// `SSL_get_selected_srtp_profile` reports it.
    public var openSslProfileName: String {
        switch self {
        case .aesCm128HmacSha1_80: "SRTP_AES128_CM_SHA1_80"
        case .aesCm128HmacSha1_32: "SRTP_AES128_CM_SHA1_32"
        case .aeadAes128Gcm: "SRTP_AEAD_AES_128_GCM"
        case .aeadAes256Gcm: "SRTP_AEAD_AES_256_GCM"
        }
    }

    /// The suite for a DTLS-SRTP protection profile identifier, if we support it.
    public init?(dtlsProtectionProfileId: UInt16) {
        guard let suite = Self.allCases.first(where: { $0.dtlsProtectionProfileId == dtlsProtectionProfileId })
        else { return nil }
        self = suite
    }

    /// The suite for an OpenSSL profile name (`SRTP_PROTECTION_PROFILE.name`), if we support it.
    public init?(openSslProfileName: String) {
        guard let suite = Self.allCases.first(where: { $0.openSslProfileName == openSslProfileName })
        else { return nil }
        self = suite
    }
}
