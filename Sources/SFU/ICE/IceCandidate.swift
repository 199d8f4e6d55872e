/// A local ICE candidate as mediasoup signals it in `iceCandidates`:
/// `{foundation, priority, ip, address, protocol, port, type, tcpType?}`.
///
/// The SFU only offers host candidates (RFC 8445 §5.1.1.1), one per listening socket; for TCP
/// they are passive (RFC 6544), since the peer connects to us. JSON carries the address twice,
/// as `address` and as the deprecated `ip` old mediasoup-client versions still read.
public struct IceCandidate: Sendable, Hashable {
    /// `host` is the only type an ICE-lite SFU gathers.
    public enum CandidateType: String, Sendable, Hashable, Codable {
        case host
    }

    /// RFC 6544 TCP candidate type; the SFU accepts connections, so always `passive`.
    public enum TcpType: String, Sendable, Hashable, Codable {
        case passive
    }

    /// `udpcandidate` or `tcpcandidate`: mediasoup's constant per protocol, since candidates
    /// of one protocol share type and base reachability.
    public var foundation: String
    /// RFC 8445 §5.1.2.1 priority; see ``priority(localPreference:)``.
    public var priority: UInt32
    /// IP or host name.
    public var address: String
    public var transportProtocol: TransportTuple.TransportProtocol
    public var port: UInt16
    public var type: CandidateType
    /// Set exactly for TCP candidates.
    public var tcpType: TcpType?

    public init(
        foundation: String, priority: UInt32, address: String, transportProtocol: TransportTuple.TransportProtocol,
        port: UInt16, type: CandidateType = .host, tcpType: TcpType? = nil
    ) {
        self.foundation = foundation
        self.priority = priority
        self.address = address
        self.transportProtocol = transportProtocol
        self.port = port
        self.type = type
        self.tcpType = tcpType
    }

    /// The host candidate mediasoup builds for a listening socket with the given priority.
    public init(source: IceCandidateSource, priority: UInt32) {
        switch source.transportProtocol {
        case .udp:
            self.init(
                foundation: "udpcandidate", priority: priority, address: source.advertisedAddress,
                transportProtocol: .udp, port: source.port)
        case .tcp:
            self.init(
                foundation: "tcpcandidate", priority: priority, address: source.advertisedAddress,
                transportProtocol: .tcp, port: source.port, tcpType: .passive)
        }
    }
}

extension IceCandidate: Codable {
    private enum CodingKeys: String, CodingKey {
        case foundation
        case priority
        case ip
        case address
        case transportProtocol = "protocol"
        case port
        case type
        case tcpType
    }

    /// Reads `address`, or `ip` when only the deprecated field is present.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.foundation = try container.decode(String.self, forKey: .foundation)
        self.priority = try container.decode(UInt32.self, forKey: .priority)
        if let address = try container.decodeIfPresent(String.self, forKey: .address) {
            self.address = address
        } else {
            self.address = try container.decode(String.self, forKey: .ip)
        }
        self.transportProtocol = try container.decode(TransportTuple.TransportProtocol.self, forKey: .transportProtocol)
        self.port = try container.decode(UInt16.self, forKey: .port)
        self.type = try container.decode(CandidateType.self, forKey: .type)
        self.tcpType = try container.decodeIfPresent(TcpType.self, forKey: .tcpType)
    }

    /// Writes the fields in mediasoup's order, `ip` and `address` both, `tcpType` only for TCP.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(foundation, forKey: .foundation)
        try container.encode(priority, forKey: .priority)
        try container.encode(address, forKey: .ip)
        try container.encode(address, forKey: .address)
        try container.encode(transportProtocol, forKey: .transportProtocol)
        try container.encode(port, forKey: .port)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(tcpType, forKey: .tcpType)
    }
}
