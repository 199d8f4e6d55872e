import HTTPAPI
import NIOSSL
import Turn

extension TurnServerConfiguration {
    /// The TURN server of this process, from the resolved settings. `tls` is the HTTPS
    /// certificate's configuration, reused for TURN over TLS; new allocations go to the
    /// alternate servers once `readiness` drains. Beside the SFU (`besideSfu`), it relays to the
    /// SFU's media ports on the SFU's addresses, where its clients' media goes, however private
    /// those addresses are.
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
            allowedPeers: turn.allowedPeers)
        if besideSfu { mediaEndpoints = Self.sfuMediaEndpoints(configuration) }
        allocationsPerUser = turn.userQuota
        totalAllocations = turn.totalQuota
        idleConnectionTimeout = turn.maxAllocateTimeout
        alternateServers = turn.alternateServers
        maxBytesPerSecond = turn.maxBytesPerSecond
        isDraining = { readiness.state == .draining }
    }

    /// The SFU's media ports (its transports' range and its WebRtcServers' ports) on the
    /// addresses its ICE candidates carry (the announced one, resolved as TURN announces it when
    /// it is a host name) and its sockets are bound to. TURN's own listening port is left out
    /// (relaying to it would chain allocations); relay ports among the media ports stay, as
    /// media transports may be bound there, and the server warns of that at start.
    static func sfuMediaEndpoints(_ configuration: ServerConfiguration) -> [PeerAddressPolicy.Endpoint] {
        let media = configuration.media
        let turnPort = configuration.turn.port
        let ports = configuration.mediaPortRanges.flatMap { $0.removing(turnPort...turnPort) }
        let announced = IPNetwork.addressBytes(media.announcedIP) != nil ? media.announcedIP : configuration.turn.announcedIP
        let addresses = Set([announced, media.listenIP].filter { !ConfigurationResolver.isWildcard($0) }.compactMap(IPNetwork.addressBytes))
        return addresses.map { PeerAddressPolicy.Endpoint(address: $0, ports: ports) }
    }
}

extension ServerConfiguration {
    /// The SFU's media ports: its transports' range and, in one-port mode, each worker's
    /// WebRtcServer port.
    var mediaPortRanges: [ClosedRange<Int>] {
        var ranges = [media.portRange]
        if media.useWebRtcServer {
            ranges.append(media.webRtcServerPort...(media.webRtcServerPort + max(media.workerCount, 1) - 1))
        }
        return ranges
    }

    /// The media port ranges that take in TURN relay ports, where a TURN client could relay to
    /// another allocation's relay; none when TURN is off.
    var mediaPortsAmongRelayPorts: [ClosedRange<Int>] {
        guard turn.enabled else { return [] }
        return mediaPortRanges.filter { $0.overlaps(turn.relayPortRange) }
    }
}

extension ClosedRange<Int> {
    /// What is left of the range without `hole`: none, one or two ranges.
    func removing(_ hole: ClosedRange<Int>) -> [ClosedRange<Int>] {
        guard overlaps(hole) else { return [self] }
        var left: [ClosedRange<Int>] = []
        if lowerBound < hole.lowerBound { left.append(lowerBound...(hole.lowerBound - 1)) }
        if hole.upperBound < upperBound { left.append((hole.upperBound + 1)...upperBound) }
        return left
    }
}
