/// The state of a DTLS transport, with mediasoup's `dtlsState` names as raw values.
///
/// `new → connecting → connected → closed`, or `→ failed` from `connecting` (handshake error,
/// retransmission timeout, fingerprint mismatch, no SRTP profile) or from `connected` (fatal
/// alert). `failed` and `closed` are final: a new handshake needs a new transport.
public enum DtlsState: String, Sendable, Hashable, Codable {
    case new
    case connecting
    case connected
    case failed
    case closed
}
