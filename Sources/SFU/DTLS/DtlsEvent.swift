import NIOCore

/// Something a ``DtlsTransport`` reports to its owner, polled with
/// ``DtlsTransport/pollEvent()`` in the order it happened.
public enum DtlsEvent: Sendable, Hashable {
    /// ``DtlsTransport/start()`` ran: the handshake is under way.
    case connecting
    /// Handshake done, remote fingerprint verified, SRTP profile negotiated: the keys for the
    /// SRTP sessions of both directions.
    case connected(DtlsSrtpKeys)
    /// The transport failed; the same reason is in ``DtlsTransport/failureReason``.
    case failed(DtlsFailureReason)
    /// The peer sent close_notify after the transport was connected.
    case closed
    /// One DTLS application data record from the peer (an SCTP packet, for data channels).
    case applicationData(ByteBuffer)
}
