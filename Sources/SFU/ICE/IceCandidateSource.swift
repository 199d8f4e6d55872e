/// One socket a WebRTC transport (or WebRtcServer) listens on, as far as its ICE candidate is
/// concerned: the part of mediasoup's `TransportListenInfo` that shows in `iceCandidates`.
///
/// `port` is the port actually bound (after any `portRange` or ephemeral choice was resolved).
public struct IceCandidateSource: Sendable, Hashable, Codable {
    public var transportProtocol: TransportTuple.TransportProtocol
    /// The IP the socket is bound to.
    public var ip: String
    /// The IP or host name clients must use instead of `ip` (NAT, Docker, cloud private IPs).
    /// Required by mediasoup when `ip` is `0.0.0.0` or `::`; not checked here.
    public var announcedAddress: String?
    public var port: UInt16

    public init(
        transportProtocol: TransportTuple.TransportProtocol, ip: String, announcedAddress: String? = nil, port: UInt16
    ) {
        self.transportProtocol = transportProtocol
        self.ip = ip
        self.announcedAddress = announcedAddress
        self.port = port
    }

    /// The address a candidate advertises: the announced one if given, otherwise the bound IP.
    public var advertisedAddress: String {
        announcedAddress ?? ip
    }

    private enum CodingKeys: String, CodingKey {
        case transportProtocol = "protocol"
        case ip
        case announcedAddress
        case port
    }
}
