import NIOCore
import NIOSSL

/// Everything the TURN server needs: listeners, relay sockets, credentials and limits.
public struct TurnServerConfiguration: Sendable {
    /// Addresses to listen on. The first must bind; later ones (an IPv6 address on a host without
    /// IPv6, say) are skipped with a warning. A wildcard's UDP socket has one beside it on each
    /// of the host's addresses, so that answers leave from the address the client asked.
    public var listenIPs: [String]
    public var port: Int
    /// TURN over TLS; nil disables it.
    public var tls: (port: Int, configuration: TLSConfiguration)?
    public var relayIP: String
    public var announcedRelayIP: String
    public var relayPorts: ClosedRange<Int>
    public var realm: String
    public var users: [String: String]
    public var sharedSecret: String?
    public var allowedPeers: [IPNetwork]
    /// Ports of addresses otherwise refused that clients may relay to: the media ports of the SFU
    /// this server runs beside.
    public var mediaEndpoints: [PeerAddressPolicy.Endpoint] = []
    /// Zero means no limit.
    public var allocationsPerUser = 100
    /// Zero means no limit.
    public var totalAllocations = 10_000
    /// Seconds a TCP/TLS connection may stay open without an allocation (coturn's
    /// max-allocate-timeout), so connections that never allocate cannot use up descriptors.
    public var idleConnectionTimeout = 60
    /// Whether the server is draining: new allocations are sent to an alternate server (300 Try
    /// Alternate, RFC 8489 §10) of the client's address family, or refused with 508 without one;
    /// existing allocations carry on.
    public var isDraining: @Sendable () -> Bool = { false }
    public var alternateServers: [SocketAddress] = []
    /// Payload bytes per second an allocation may relay each way (coturn's `max-bps`); 0 is no cap.
    public var maxBytesPerSecond = 0

    public init(
        listenIPs: [String], port: Int, tls: (port: Int, configuration: TLSConfiguration)?, relayIP: String,
        announcedRelayIP: String, relayPorts: ClosedRange<Int>, realm: String, users: [String: String],
        sharedSecret: String?, allowedPeers: [IPNetwork]
    ) {
        self.listenIPs = listenIPs
        self.port = port
        self.tls = tls
        self.relayIP = relayIP
        self.announcedRelayIP = announcedRelayIP
        self.relayPorts = relayPorts
        self.realm = realm
        self.users = users
        self.sharedSecret = sharedSecret
        self.allowedPeers = allowedPeers
    }
}
