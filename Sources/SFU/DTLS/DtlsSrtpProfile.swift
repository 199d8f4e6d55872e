import COpenSSL

/// An SRTP protection profile negotiated through DTLS's `use_srtp` extension (RFC 5764,
/// RFC 7714), with mediasoup's crypto suite names as raw values.
///
/// `allCases` is mediasoup's preference order. OpenSSL picks the **server's** most preferred
/// profile that the client offered, so this order decides the suite whenever the SFU is the
/// DTLS server; as a client the SFU gets whatever the remote server prefers.
public enum DtlsSrtpProfile: String, Sendable, Hashable, Codable, CaseIterable {
    case aeadAes256Gcm = "AEAD_AES_256_GCM"
    case aeadAes128Gcm = "AEAD_AES_128_GCM"
    case aesCm128HmacSha1_80 = "AES_CM_128_HMAC_SHA1_80"
    case aesCm128HmacSha1_32 = "AES_CM_128_HMAC_SHA1_32"

    /// The profile's name in OpenSSL's `use_srtp` list (RFC 5764 §4.1.2 / RFC 7714 §14.2).
    var openSslName: String {
        switch self {
        case .aeadAes256Gcm: "SRTP_AEAD_AES_256_GCM"
        case .aeadAes128Gcm: "SRTP_AEAD_AES_128_GCM"
        case .aesCm128HmacSha1_80: "SRTP_AES128_CM_SHA1_80"
        case .aesCm128HmacSha1_32: "SRTP_AES128_CM_SHA1_32"
        }
    }

    /// The profile's IANA identifier, as `SSL_get_selected_srtp_profile` reports it.
    var openSslId: UInt {
        switch self {
        case .aeadAes256Gcm: UInt(SRTP_AEAD_AES_256_GCM)
        case .aeadAes128Gcm: UInt(SRTP_AEAD_AES_128_GCM)
        case .aesCm128HmacSha1_80: UInt(SRTP_AES128_CM_SHA1_80)
        case .aesCm128HmacSha1_32: UInt(SRTP_AES128_CM_SHA1_32)
        }
    }

    init?(openSslId: UInt) {
        guard let profile = Self.allCases.first(where: { $0.openSslId == openSslId }) else { return nil }
        self = profile
    }

    /// Length of the SRTP master key in bytes.
    public var masterKeyLength: Int {
        switch self {
        case .aeadAes256Gcm: 32
        case .aeadAes128Gcm, .aesCm128HmacSha1_80, .aesCm128HmacSha1_32: 16
        }
    }

    /// Length of the SRTP master salt in bytes.
    public var masterSaltLength: Int {
        switch self {
        case .aeadAes256Gcm, .aeadAes128Gcm: 12
        case .aesCm128HmacSha1_80, .aesCm128HmacSha1_32: 14
        }
    }
}
