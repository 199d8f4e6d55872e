/// Why an SRTP session or master key could not be created. Thrown at setup time only.
public enum SrtpConfigurationError: Error, Equatable, Sendable {
    /// Key or salt (or the exported keying material) has the wrong length for the suite.
    case invalidKeyLength(suite: SrtpCryptoSuite, expected: Int, actual: Int)
    /// SDES `inline:` key material (mediasoup's `keyBase64`) is not valid base64.
    case invalidBase64
    /// A crypto suite name that is not one of mediasoup's four.
    case unknownCryptoSuite(String)
    /// The replay window must be a power of two between 64 and 16384 packets.
    case invalidReplayWindowSize(Int)
    /// An OpenSSL call failed while setting up keys or contexts.
    case openSsl(operation: String)
    /// A libsrtp call failed; `status` is its `srtp_err_status_t`.
    case libSrtp(operation: String, status: Int32)
}

extension SrtpConfigurationError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidKeyLength(let suite, let expected, let actual):
            "\(suite.rawValue) needs \(expected) bytes of key material, got \(actual)"
        case .invalidBase64:
            "SRTP keyBase64 is not valid base64"
        case .unknownCryptoSuite(let name):
            "unknown SRTP crypto suite \"\(name)\"; expected one of "
                + SrtpCryptoSuite.allCases.map(\.rawValue).joined(separator: ", ")
        case .invalidReplayWindowSize(let size):
            "SRTP replay window must be a power of two in 64...16384, got \(size)"
        case .openSsl(let operation):
            "OpenSSL \(operation) failed while setting up SRTP"
        case .libSrtp(let operation, let status):
            "libsrtp \(operation) failed with status \(status)"
        }
    }
}
