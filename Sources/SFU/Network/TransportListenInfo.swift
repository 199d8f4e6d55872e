/// Where a transport (or WebRtcServer) listens and what address it tells peers, as mediasoup's
/// `TransportListenInfo`. `announcedAddress` (an IP or a host name) replaces `ip` in candidates
/// and tuples when the server sits behind NAT or listens on a wildcard address.
public struct TransportListenInfo: Sendable, Hashable, Codable {
    public var `protocol`: TransportTuple.TransportProtocol
    public var ip: String
    public var announcedAddress: String?
    /// A fixed port; 0 or nil means "pick one from `portRange` or the worker's range".
    public var port: Int?
    public var portRange: PortRange?

    public init(
        protocol: TransportTuple.TransportProtocol, ip: String, announcedAddress: String? = nil,
        port: Int? = nil, portRange: PortRange? = nil
    ) {
        self.protocol = `protocol`
        self.ip = ip
        self.announcedAddress = announcedAddress
        self.port = port
        self.portRange = portRange
    }

    private enum CodingKeys: String, CodingKey {
        case `protocol`, ip, announcedAddress, announcedIp, port, portRange
    }

    /// Accepts the deprecated `announcedIp` spelling too, as mediasoup still does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.protocol = try container.decode(TransportTuple.TransportProtocol.self, forKey: .protocol)
        self.ip = try container.decode(String.self, forKey: .ip)
        self.announcedAddress =
            try container.decodeIfPresent(String.self, forKey: .announcedAddress)
            ?? container.decodeIfPresent(String.self, forKey: .announcedIp)
        self.port = try container.decodeIfPresent(Int.self, forKey: .port)
        self.portRange = try container.decodeIfPresent(PortRange.self, forKey: .portRange)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.protocol, forKey: .protocol)
        try container.encode(ip, forKey: .ip)
        try container.encodeIfPresent(announcedAddress, forKey: .announcedAddress)
        try container.encodeIfPresent(port, forKey: .port)
        try container.encodeIfPresent(portRange, forKey: .portRange)
    }

    /// The address peers are told to send to.
    public var advertisedAddress: String { announcedAddress ?? ip }
}
