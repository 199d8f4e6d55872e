/// Something an ``IceServer`` reports to its transport, polled with
/// ``IceServer/pollEvent()`` in the order it happened (mediasoup's `IceServer::Listener`).
public enum IceServerEvent: Sendable, Hashable {
    /// The ICE state changed; the new value is also in ``IceServer/state``.
    case stateChanged(IceState)
    /// Media now goes to and comes from this tuple (mediasoup's `iceselectedtuplechange`).
    case selectedTupleChanged(TransportTuple)
    /// A valid check arrived on a new tuple: accept DTLS/RTP from it, and route it to this
    /// transport on a shared WebRtcServer port.
    case tupleAdded(TransportTuple)
    /// The tuple is no longer valid (evicted, consent expired, removed, closed): stop routing it.
    case tupleRemoved(TransportTuple)
    /// Checks with this local fragment are now accepted (creation, ``IceServer/restartIce(parameters:now:)``).
    case localUsernameFragmentAdded(String)
    /// Checks with this local fragment are no longer accepted.
    case localUsernameFragmentRemoved(String)
}
