/// What `Router.createPlainTransport` takes (mediasoup's PlainTransportOptions).
public struct PlainTransportOptions: Sendable {
    public var listenInfo: TransportListenInfo
    /// Where RTCP listens when `rtcpMux` is off; the RTP listen IP with another port when nil.
    public var rtcpListenInfo: TransportListenInfo?
    public var rtcpMux: Bool
    /// Learn the remote address from the first packet instead of `connect`.
    public var comedia: Bool
    public var enableSrtp: Bool
    public var srtpCryptoSuite: SrtpCryptoSuite
    /// Data channels: SCTP straight over the UDP tuple (no DTLS), as mediasoup's plain transports.
    public var enableSctp: Bool
    public var numSctpStreams: NumSctpStreams
    public var maxSctpMessageSize: Int

    public init(
        listenInfo: TransportListenInfo, rtcpListenInfo: TransportListenInfo? = nil, rtcpMux: Bool = true,
        comedia: Bool = false, enableSrtp: Bool = false, srtpCryptoSuite: SrtpCryptoSuite = .aesCm128HmacSha1_80,
        enableSctp: Bool = false, numSctpStreams: NumSctpStreams = NumSctpStreams(OS: 1024, MIS: 1024),
        maxSctpMessageSize: Int = 262_144
    ) {
        self.enableSctp = enableSctp
        self.numSctpStreams = numSctpStreams
        self.maxSctpMessageSize = maxSctpMessageSize
        self.listenInfo = listenInfo
        self.rtcpListenInfo = rtcpListenInfo
        self.rtcpMux = rtcpMux
        self.comedia = comedia
        self.enableSrtp = enableSrtp
        self.srtpCryptoSuite = srtpCryptoSuite
    }
}
