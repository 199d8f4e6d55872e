import HTTPAPI
import NIOSSL
import Turn

extension TurnServerConfiguration {
    /// The TURN server of this process, from the resolved settings. `tls` is the HTTPS
    /// certificate's configuration, reused for TURN over TLS; new allocations go to the
    /// alternate servers once `readiness` drains. Beside the SFU (`besideSfu`), it relays to the
    /// SFU's own addresses, which its clients' media goes to, however private they are.
    init(_ configuration: ServerConfiguration, tls: TLSConfiguration, readiness: ServerReadiness, besideSfu: Bool) {
        let turn = configuration.turn
        self.init(
            // The IPv4 wildcard also listens on the IPv6 one, where the host has IPv6.
            listenIPs: turn.listenIP == "0.0.0.0" ? ["0.0.0.0", "::"] : [turn.listenIP],
            port: turn.port,
            tls: turn.tlsPort == 0 ? nil : (turn.tlsPort, tls),
            relayIP: turn.relayIP,
            announcedRelayIP: turn.announcedIP,
            relayPorts: turn.relayPortRange,
            realm: turn.realm,
            users: turn.users,
            sharedSecret: turn.sharedSecret,
            allowedPeers: turn.allowedPeers + (besideSfu ? Self.sfuAddresses(configuration.media) : []))
        allocationsPerUser = turn.userQuota
        totalAllocations = turn.totalQuota
        idleConnectionTimeout = turn.maxAllocateTimeout
        alternateServers = turn.alternateServers
        maxBytesPerSecond = turn.maxBytesPerSecond
        isDraining = { readiness.state == .draining }
    }

    /// The addresses the SFU's ICE candidates carry (announced) and its sockets are bound to.
    private static func sfuAddresses(_ media: ServerConfiguration.Media) -> [IPNetwork] {
        [media.announcedIP, media.listenIP].filter { $0 != "0.0.0.0" && $0 != "::" }.compactMap(IPNetwork.init)
    }
}
