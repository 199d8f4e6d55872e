/// Counters of one ``DtlsTransport``, for stats and for spotting garbage on the wire.
public struct DtlsTransportStats: Sendable, Hashable {
    /// Datagrams given to ``DtlsTransport/feed(_:)``, including dropped ones.
    public var datagramsReceived = 0
    public var bytesReceived = 0
    /// Datagrams that are not a sequence of well-formed DTLS 1.0/1.2 records; dropped before
    /// OpenSSL sees them.
    public var malformedDatagramsDropped = 0
    /// Datagrams that arrived before ``DtlsTransport/start()`` or after the transport failed or
    /// closed; dropped.
    public var datagramsDroppedWhileNotRunning = 0
    /// Datagrams produced for the peer (handshake flights, retransmissions, alerts, data).
    public var datagramsSent = 0
    public var bytesSent = 0
    /// Handshake flights retransmitted because the retransmission timer expired.
    public var retransmissions = 0
    /// Application data records received before the transport was connected; dropped, as
    /// mediasoup does.
    public var earlyApplicationDataDropped = 0

    public init() {}
}
