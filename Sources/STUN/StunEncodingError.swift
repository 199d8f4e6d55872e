/// Why a ``StunMessage`` could not be encoded: only sizes can fail, because STUN lengths are
/// 16-bit fields.
public enum StunEncodingError: Error, Hashable, Sendable {
    /// One attribute value is longer than the 65535 bytes its length field can say.
    case attributeTooLong(type: StunAttributeType, length: Int)
    /// The attributes (with padding and the computed integrity and fingerprint attributes)
    /// exceed the 65535 bytes the header's length field can say.
    case messageTooLong(length: Int)
}
