/// A tuple as mediasoup reports it (`tuple`, `rtcpTuple`, `iceSelectedTuple`): the advertised
/// local address and, once known, the remote one.
public struct TransportTupleDescription: Sendable, Hashable, Codable {
    public var localAddress: String
    /// Deprecated duplicate of `localAddress` that older clients read.
    public var localIp: String
    public var localPort: Int
    public var remoteIp: String?
    public var remotePort: Int?
    public var `protocol`: TransportTuple.TransportProtocol

    public init(
        localAddress: String, localPort: Int, remoteIp: String? = nil, remotePort: Int? = nil,
        protocol: TransportTuple.TransportProtocol
    ) {
        self.localAddress = localAddress
        self.localIp = localAddress
        self.localPort = localPort
        self.remoteIp = remoteIp
        self.remotePort = remotePort
        self.protocol = `protocol`
    }
}
