/// The 16-bit type of a STUN attribute (RFC 8489 §14, RFC 8656 §18, RFC 8445 §16.1).
///
/// A struct rather than an enum so that types this module does not know survive a decode and
/// re-encode unchanged.
public struct StunAttributeType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// Types below 0x8000 are comprehension-required: a receiver that does not understand one
    /// must reject the request with 420 Unknown Attribute (RFC 8489 §14).
    public var isComprehensionRequired: Bool {
        self.rawValue < 0x8000
    }

    // Comprehension-required range.
    public static let mappedAddress = StunAttributeType(rawValue: 0x0001)
    public static let username = StunAttributeType(rawValue: 0x0006)
    public static let messageIntegrity = StunAttributeType(rawValue: 0x0008)
    public static let errorCode = StunAttributeType(rawValue: 0x0009)
    public static let unknownAttributes = StunAttributeType(rawValue: 0x000A)
    public static let channelNumber = StunAttributeType(rawValue: 0x000C)
    public static let lifetime = StunAttributeType(rawValue: 0x000D)
    public static let xorPeerAddress = StunAttributeType(rawValue: 0x0012)
    public static let data = StunAttributeType(rawValue: 0x0013)
    public static let realm = StunAttributeType(rawValue: 0x0014)
    public static let nonce = StunAttributeType(rawValue: 0x0015)
    public static let xorRelayedAddress = StunAttributeType(rawValue: 0x0016)
    public static let requestedAddressFamily = StunAttributeType(rawValue: 0x0017)
    public static let evenPort = StunAttributeType(rawValue: 0x0018)
    public static let requestedTransport = StunAttributeType(rawValue: 0x0019)
    public static let dontFragment = StunAttributeType(rawValue: 0x001A)
    public static let messageIntegritySHA256 = StunAttributeType(rawValue: 0x001C)
    public static let passwordAlgorithm = StunAttributeType(rawValue: 0x001D)
    public static let userhash = StunAttributeType(rawValue: 0x001E)
    public static let xorMappedAddress = StunAttributeType(rawValue: 0x0020)
    public static let reservationToken = StunAttributeType(rawValue: 0x0022)
    public static let priority = StunAttributeType(rawValue: 0x0024)
    public static let useCandidate = StunAttributeType(rawValue: 0x0025)

    // Comprehension-optional range.
    public static let additionalAddressFamily = StunAttributeType(rawValue: 0x8000)
    public static let addressErrorCode = StunAttributeType(rawValue: 0x8001)
    public static let passwordAlgorithms = StunAttributeType(rawValue: 0x8002)
    public static let alternateDomain = StunAttributeType(rawValue: 0x8003)
    public static let icmp = StunAttributeType(rawValue: 0x8004)
    public static let software = StunAttributeType(rawValue: 0x8022)
    public static let alternateServer = StunAttributeType(rawValue: 0x8023)
    public static let fingerprint = StunAttributeType(rawValue: 0x8028)
    public static let iceControlled = StunAttributeType(rawValue: 0x8029)
    public static let iceControlling = StunAttributeType(rawValue: 0x802A)
}

extension StunAttributeType: CustomStringConvertible {
    public var description: String {
        let hex = "0x" + String(self.rawValue, radix: 16, uppercase: true)
        guard let name = Self.names[self] else { return hex }
        return "\(name) (\(hex))"
    }

    private static let names: [StunAttributeType: String] = [
        .mappedAddress: "MAPPED-ADDRESS", .username: "USERNAME",
        .messageIntegrity: "MESSAGE-INTEGRITY", .errorCode: "ERROR-CODE",
        .unknownAttributes: "UNKNOWN-ATTRIBUTES", .channelNumber: "CHANNEL-NUMBER",
        .lifetime: "LIFETIME", .xorPeerAddress: "XOR-PEER-ADDRESS", .data: "DATA",
        .realm: "REALM", .nonce: "NONCE", .xorRelayedAddress: "XOR-RELAYED-ADDRESS",
        .requestedAddressFamily: "REQUESTED-ADDRESS-FAMILY", .evenPort: "EVEN-PORT",
        .requestedTransport: "REQUESTED-TRANSPORT", .dontFragment: "DONT-FRAGMENT",
        .messageIntegritySHA256: "MESSAGE-INTEGRITY-SHA256",
        .passwordAlgorithm: "PASSWORD-ALGORITHM", .userhash: "USERHASH",
        .xorMappedAddress: "XOR-MAPPED-ADDRESS", .reservationToken: "RESERVATION-TOKEN",
        .priority: "PRIORITY", .useCandidate: "USE-CANDIDATE",
        .additionalAddressFamily: "ADDITIONAL-ADDRESS-FAMILY",
        .addressErrorCode: "ADDRESS-ERROR-CODE", .passwordAlgorithms: "PASSWORD-ALGORITHMS",
        .alternateDomain: "ALTERNATE-DOMAIN", .icmp: "ICMP", .software: "SOFTWARE",
        .alternateServer: "ALTERNATE-SERVER", .fingerprint: "FINGERPRINT",
        .iceControlled: "ICE-CONTROLLED", .iceControlling: "ICE-CONTROLLING",
    ]
}
