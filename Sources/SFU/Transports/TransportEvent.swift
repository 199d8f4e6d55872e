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
    /// The outgoing bandwidth estimate, about every second and at once when it moves by more
    /// than a quarter down or a half up: mediasoup's `bwe` trace, once enabled with
    /// ``Transport/enableTraceEvent(_:)``, on transports whose consumers negotiated transport-cc.
    case outgoingBandwidth(OutgoingBandwidthTrace)
    /// The transport closed because its router or WebRtcServer did; the stream ends after it.
    case closed(CloseReason)
}
