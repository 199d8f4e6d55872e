/// The class of a STUN message: the two C bits of the message type (RFC 8489 §5).
public enum StunMessageClass: UInt8, Hashable, Sendable, CaseIterable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}
