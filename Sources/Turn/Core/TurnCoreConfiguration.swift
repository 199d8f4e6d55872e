import STUN

/// The TURN protocol settings one core applies. Lifetimes are seconds.
public struct TurnCoreConfiguration: Sendable {
    public var software = "sfu-server"
    /// The IP advertised in XOR-RELAYED-ADDRESS (the public address behind NAT).
    public var announcedRelayIP: String
    public var defaultLifetime = 600
    public var maximumLifetime = 3600
    public var permissionLifetime = 300
    public var channelLifetime = 600
    /// Whether relays can be IPv6 (REQUESTED-ADDRESS-FAMILY IPv6).
    public var supportsIPv6Relay = false
    /// Payload bytes per second an allocation may relay each way (coturn's `max-bps`); 0 is no cap.
    public var maxBytesPerSecond = 0
    /// Where Allocate requests are redirected while the server drains.
    public var alternateServers: [StunAddress] = []

    public init(announcedRelayIP: String) {
        self.announcedRelayIP = announcedRelayIP
    }
}
