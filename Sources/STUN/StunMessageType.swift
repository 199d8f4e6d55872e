/// The 14-bit STUN message type: a method and a class interleaved as RFC 8489 §5 draws it.
///
/// ```
///  0                 1
///  2  3  4 5 6 7 8 9 0 1 2 3 4 5
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
/// |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct StunMessageType: Hashable, Sendable {
    public let method: StunMethod
    public let messageClass: StunMessageClass

    public init(method: StunMethod, messageClass: StunMessageClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// Splits the 16-bit type field; the two most significant bits (always zero in STUN) are
    /// ignored here and checked by the header decoder.
    public init(rawValue: UInt16) {
        let method = (rawValue & 0x000F) | ((rawValue & 0x00E0) >> 1) | ((rawValue & 0x3E00) >> 2)
        // The masks keep the method within its 12 bits, so no range check is needed.
        self.method = StunMethod(uncheckedRawValue: method)
        switch ((rawValue & 0x0010) >> 4) | ((rawValue & 0x0100) >> 7) {
        case 0b00: self.messageClass = .request
        case 0b01: self.messageClass = .indication
        case 0b10: self.messageClass = .successResponse
        default: self.messageClass = .errorResponse
        }
    }

    public var rawValue: UInt16 {
        let m = self.method.rawValue
        let c = UInt16(self.messageClass.rawValue)
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0b01) << 4) | ((c & 0b10) << 7)
    }

    public static let bindingRequest = StunMessageType(method: .binding, messageClass: .request)
    public static let bindingSuccessResponse = StunMessageType(method: .binding, messageClass: .successResponse)
    public static let bindingErrorResponse = StunMessageType(method: .binding, messageClass: .errorResponse)
    public static let bindingIndication = StunMessageType(method: .binding, messageClass: .indication)
}

extension StunMessageType: CustomStringConvertible {
    public var description: String {
        "\(self.method) \(self.messageClass)"
    }
}
