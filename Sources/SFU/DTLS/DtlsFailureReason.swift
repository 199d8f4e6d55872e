/// Why a DTLS transport moved to ``DtlsState/failed``, in words an operator can act on.
public enum DtlsFailureReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// The peer's certificate does not hash to the fingerprint it signaled: either signaling
    /// carried the wrong fingerprint or someone else answered the handshake.
    case remoteFingerprintMismatch(signaled: DtlsFingerprint, actual: DtlsFingerprint)
    /// The peer completed the handshake without a certificate.
    case noRemoteCertificate
    /// The peer did not offer any SRTP profile the SFU accepts (`use_srtp` extension);
    /// mediasoup requires one even for data-only transports.
    case srtpProfileNotNegotiated
    /// Exporting the SRTP keying material failed.
    case keyExportFailed(OpenSslError)
    /// The handshake made no progress through all retransmissions.
    case handshakeTimedOut
    /// The peer sent a fatal alert, e.g. `"handshake failure"`.
    case alertReceived(String)
    /// The peer sent close_notify before the transport was connected.
    case closedDuringHandshake
    /// OpenSSL aborted the handshake or the connection.
    case protocolError(OpenSslError)

    public var description: String {
        switch self {
        case .remoteFingerprintMismatch(let signaled, let actual):
            "remote certificate fingerprint \(actual.algorithm.rawValue) \(actual.value) "
                + "does not match the signaled \(signaled.value)"
        case .noRemoteCertificate:
            "the peer sent no certificate"
        case .srtpProfileNotNegotiated:
            "no SRTP profile negotiated (the peer offered none of ours in use_srtp)"
        case .keyExportFailed(let error):
            "SRTP key export failed: \(error)"
        case .handshakeTimedOut:
            "DTLS handshake timed out after all retransmissions"
        case .alertReceived(let alert):
            "the peer sent a fatal DTLS alert: \(alert)"
        case .closedDuringHandshake:
            "the peer closed the DTLS association during the handshake"
        case .protocolError(let error):
            "DTLS protocol error: \(error)"
        }
    }
}
