/// Which implementation performs the SRTP transform behind ``SrtpSession``.
public enum SrtpBackend: String, Sendable, Hashable, Codable, CaseIterable {
    /// Our transform on OpenSSL's libcrypto EVP (``OpenSslSrtpSession``): AES-NI/SHA-NI speed,
    /// in place, no allocation per packet, and rollover-counter recovery after long losses.
    case openssl
    /// The reference libsrtp2 (``LibSrtpSession``). Debian's build sits on NSS and is several
    /// times slower for AES-CM; kept as the oracle in tests and as a fallback.
    case libsrtp
}
