/// The 12-bit method of a STUN message (RFC 8489 §18.2, RFC 8656 §17).
///
/// A struct rather than an enum so that methods this module does not know keep their number
/// through decode and re-encode. Invariant: `rawValue <= 0x0FFF`.
public struct StunMethod: Hashable, Sendable {
    public let rawValue: UInt16

    /// Returns nil for values that do not fit the 12 bits the message type has for a method.
    public init?(rawValue: UInt16) {
        guard rawValue <= 0x0FFF else { return nil }
        self.rawValue = rawValue
    }

    /// For callers that have already masked the value to 12 bits.
    init(uncheckedRawValue: UInt16) {
        self.rawValue = uncheckedRawValue
    }

    public static let binding = StunMethod(uncheckedRawValue: 0x001)
    public static let allocate = StunMethod(uncheckedRawValue: 0x003)
    public static let refresh = StunMethod(uncheckedRawValue: 0x004)
    public static let send = StunMethod(uncheckedRawValue: 0x006)
    public static let data = StunMethod(uncheckedRawValue: 0x007)
    public static let createPermission = StunMethod(uncheckedRawValue: 0x008)
    public static let channelBind = StunMethod(uncheckedRawValue: 0x009)
}

extension StunMethod: CustomStringConvertible {
    public var description: String {
        switch self {
        case .binding: return "Binding"
        case .allocate: return "Allocate"
        case .refresh: return "Refresh"
        case .send: return "Send"
        case .data: return "Data"
        case .createPermission: return "CreatePermission"
        case .channelBind: return "ChannelBind"
        default: return "Method(0x\(String(self.rawValue, radix: 16, uppercase: true)))"
        }
    }
}
