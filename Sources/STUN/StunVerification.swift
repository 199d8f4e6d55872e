/// The outcome of checking MESSAGE-INTEGRITY(-SHA256) or FINGERPRINT on a received message.
public enum StunVerification: Hashable, Sendable {
    /// The attribute is present and matches the received bytes.
    case valid
    /// The attribute is present and does not match: drop the message, or answer 401.
    case invalid
    /// The message carries no such attribute, or was built rather than decoded and so has no
    /// received bytes to check.
    case absent
}
