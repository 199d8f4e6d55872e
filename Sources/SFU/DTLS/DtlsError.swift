/// Why a DTLS object could not be created or a command was refused.
///
/// These are errors of setup and of the caller; a handshake that goes wrong does not throw but
/// moves the transport to ``DtlsState/failed`` with a ``DtlsFailureReason``.
public enum DtlsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Generating the process's self-signed certificate failed.
    case certificateGenerationFailed(OpenSslError)
    /// The certificate (PEM text or file) could not be read.
    case certificateUnreadable(OpenSslError)
    /// The private key (PEM text or file) could not be read; encrypted keys are not supported.
    case privateKeyUnreadable(OpenSslError)
    /// The private key is not the one the certificate's public key belongs to.
    case privateKeyDoesNotMatchCertificate
    /// The `SSL_CTX` could not be created or configured.
    case contextCreationFailed(OpenSslError)
    /// A context needs at least one SRTP profile: mediasoup requires `use_srtp` even without media.
    case noSrtpProfiles
    /// The `SSL` object or its memory BIOs could not be created.
    case transportCreationFailed(OpenSslError)
    /// A transport runs as `client` or `server`; `auto` must be resolved first
    /// (see ``DtlsRole/local(forRemote:)``).
    case localRoleMustBeClientOrServer
    /// Application data can only be sent while connected (handshake done, fingerprint verified).
    case notConnected(DtlsState)
    /// Application data of zero bytes or more than one DTLS record can carry (16384 bytes).
    case invalidApplicationDataLength(Int)
    /// `SSL_write` refused the application data.
    case writeFailed(OpenSslError)

    public var description: String {
        switch self {
        case .certificateGenerationFailed(let error):
            "DTLS certificate generation failed: \(error)"
        case .certificateUnreadable(let error):
            "cannot read the DTLS certificate: \(error)"
        case .privateKeyUnreadable(let error):
            "cannot read the DTLS private key (it must be an unencrypted PEM key): \(error)"
        case .privateKeyDoesNotMatchCertificate:
            "the DTLS private key does not belong to the DTLS certificate"
        case .contextCreationFailed(let error):
            "DTLS context creation failed: \(error)"
        case .noSrtpProfiles:
            "a DTLS context needs at least one SRTP profile"
        case .transportCreationFailed(let error):
            "DTLS transport creation failed: \(error)"
        case .localRoleMustBeClientOrServer:
            "the local DTLS role must be 'client' or 'server', not 'auto'"
        case .notConnected(let state):
            "cannot send application data while DTLS is \(state.rawValue)"
        case .invalidApplicationDataLength(let length):
            "application data must be 1...16384 bytes, got \(length)"
        case .writeFailed(let error):
            "sending application data failed: \(error)"
        }
    }
}
