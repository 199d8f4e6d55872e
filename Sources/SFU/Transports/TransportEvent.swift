/// What a transport reports to the signaling layer (mediasoup's transport events), delivered in
/// order on ``Transport/events``.
public enum TransportEvent: Sendable, Hashable {
    case iceStateChange(IceState)
    case iceSelectedTupleChange(TransportTuple)
    case dtlsStateChange(DtlsState)
    case sctpStateChange(SctpAssociationState)
    /// PlainTransport: the remote RTP tuple was learnt (comedia) or set by `connect`.
    case tuple(TransportTuple)
    /// PlainTransport without rtcpMux: the remote RTCP tuple.
    case rtcpTuple(TransportTuple)
    /// The transport closed because its router or WebRtcServer did; the stream ends after it.
    case closed(CloseReason)
}
