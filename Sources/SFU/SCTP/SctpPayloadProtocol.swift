/// Payload protocol identifiers of WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1).
public struct SctpPayloadProtocol: RawRepresentable, Sendable, Hashable, Codable {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// DCEP control messages (DATA_CHANNEL_OPEN, DATA_CHANNEL_ACK).
    public static let dcep = Self(rawValue: 50)
    public static let string = Self(rawValue: 51)
    public static let binary = Self(rawValue: 53)
    /// An empty string: SCTP cannot carry an empty message, so one zero byte stands for it.
    public static let emptyString = Self(rawValue: 56)
    public static let emptyBinary = Self(rawValue: 57)

    /// Whether a message with this identifier carries user data (not DCEP).
    public var isUserData: Bool { [.string, .binary, .emptyString, .emptyBinary].contains(self) }
}
