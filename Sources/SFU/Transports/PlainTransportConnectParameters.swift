/// What `PlainTransport.connect` takes: the remote RTP (and RTCP) address and, with SRTP, the
/// remote keys.
public struct PlainTransportConnectParameters: Sendable, Hashable, Codable {
    public var ip: String?
    public var port: Int?
    public var rtcpPort: Int?
    public var srtpParameters: SrtpParameters?

    public init(ip: String? = nil, port: Int? = nil, rtcpPort: Int? = nil, srtpParameters: SrtpParameters? = nil) {
        self.ip = ip
        self.port = port
        self.rtcpPort = rtcpPort
        self.srtpParameters = srtpParameters
    }
}
