/// ICE username fragments as they appear in a STUN USERNAME.
///
/// A connectivity check to us carries USERNAME `"<our ufrag>:<peer's ufrag>"` (RFC 8445
/// §7.2.2), so the part before the first `:` names the transport it is meant for.
public enum IceUsernameFragment {
    /// The local (our) fragment in a USERNAME: everything before the first `:`, or the whole
    /// value when it has none, as mediasoup's WebRtcServer takes it. Such a value never
    /// authenticates (the IceServer requires the `:`), but looking it up costs nothing.
    public static func local(fromStunUsername username: String) -> Substring {
        username.firstIndex(of: ":").map { username[..<$0] } ?? username[...]
    }
}
