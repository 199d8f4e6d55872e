import COpenSSL

/// A hash function for certificate fingerprints, named as in SDP (RFC 8122) and mediasoup's
/// `dtlsParameters.fingerprints[].algorithm`.
public enum DtlsFingerprintAlgorithm: String, Sendable, Hashable, Codable, CaseIterable {
    case sha1 = "sha-1"
    case sha224 = "sha-224"
    case sha256 = "sha-256"
    case sha384 = "sha-384"
    case sha512 = "sha-512"

    /// Parses an algorithm name case-insensitively (SDP allows `SHA-256`).
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// Number of digest bytes, i.e. of hex pairs in a fingerprint value.
    public var digestLength: Int {
        switch self {
        case .sha1: 20
        case .sha224: 28
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// OpenSSL's `EVP_MD` for this hash (a static object, never freed).
    var messageDigest: OpaquePointer {
        switch self {
        case .sha1: EVP_sha1()
        case .sha224: EVP_sha224()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
    }
}
