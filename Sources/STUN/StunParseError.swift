/// Why bytes could not be decoded as a STUN message.
///
/// Every decoder in this module reports malformed input with one of these cases instead of
/// trapping, so a server can count the packet and drop it, or (when the header itself decoded,
/// see ``StunMessageHeader``) answer a request with 400 Bad Request.
public enum StunParseError: Error, Hashable, Sendable {
    /// Fewer than the 20 bytes of a STUN header were available.
    case truncatedHeader(available: Int)
    /// The two most significant bits of the first byte are not zero, so this is not STUN
    /// (it is ChannelData, DTLS, RTP/RTCP or garbage).
    case notStun(firstByte: UInt8)
    /// The magic cookie (bytes 4–7) is not 0x2112A442; RFC 3489 messages are not supported.
    case badMagicCookie(UInt32)
    /// The header's message length is not a multiple of 4, which RFC 8489 §5 forbids.
    case lengthNotMultipleOfFour(Int)
    /// The header announces `declared` bytes of attributes but `available` bytes follow it.
    case lengthMismatch(declared: Int, available: Int)
    /// An attribute's length runs past the end of the message.
    case attributeOverrun(type: StunAttributeType, declaredLength: Int, remaining: Int)
    /// A known attribute's value does not have the layout its RFC gives it.
    case invalidAttributeValue(type: StunAttributeType, reason: String)
    /// An address-family attribute (REQUESTED-ADDRESS-FAMILY, ADDITIONAL-ADDRESS-FAMILY) names
    /// a family that is neither IPv4 nor IPv6: a TURN server answers 440 rather than 400.
    case unknownAddressFamily(type: StunAttributeType, family: UInt8)
}

extension StunParseError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncatedHeader(let available):
            return "STUN header needs 20 bytes, only \(available) available"
        case .notStun(let firstByte):
            return "not a STUN message (first byte 0x\(String(firstByte, radix: 16)))"
        case .badMagicCookie(let cookie):
            return "bad STUN magic cookie 0x\(String(cookie, radix: 16))"
        case .lengthNotMultipleOfFour(let length):
            return "STUN message length \(length) is not a multiple of 4"
        case .lengthMismatch(let declared, let available):
            return "STUN header declares \(declared) attribute bytes but \(available) follow the header"
        case .attributeOverrun(let type, let declaredLength, let remaining):
            return "STUN attribute \(type) declares \(declaredLength) bytes but only \(remaining) remain"
        case .invalidAttributeValue(let type, let reason):
            return "invalid STUN attribute \(type): \(reason)"
        case .unknownAddressFamily(let type, let family):
            return "STUN attribute \(type) names unknown address family 0x\(String(family, radix: 16))"
        }
    }
}
