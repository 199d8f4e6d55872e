/// The ICE state of a WebRTC transport, with mediasoup's `iceState` names as raw values.
///
/// An ICE-lite server only answers checks, so its state follows what the peer does:
/// `new` until the first valid Binding request, `connected` once a tuple is selected without
/// nomination, `completed` once the peer nominates one (USE-CANDIDATE), `disconnected` when
/// consent expires or the last tuple goes away, and back to `connected`/`completed` on the next
/// valid request. `closed` is final and only set by closing the transport.
public enum IceState: String, Sendable, Hashable, Codable {
    case new
    case connected
    case completed
    case disconnected
    case closed
}
