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

    public init(
        listenInfo: TransportListenInfo, rtcpListenInfo: TransportListenInfo? = nil, rtcpMux: Bool = true,
        comedia: Bool = false, enableSrtp: Bool = false, srtpCryptoSuite: SrtpCryptoSuite = .aesCm128HmacSha1_80
    ) {
        self.listenInfo = listenInfo
        self.rtcpListenInfo = rtcpListenInfo
        self.rtcpMux = rtcpMux
        self.comedia = comedia
        self.enableSrtp = enableSrtp
        self.srtpCryptoSuite = srtpCryptoSuite
    }
}
