/// What `Router.createWebRtcTransport` takes (mediasoup's WebRtcTransportOptions): either a
/// WebRtcServer whose shared ports the transport uses, or listen infos for its own sockets.
public struct WebRtcTransportOptions: Sendable {
    public var webRtcServer: WebRtcServer?
    public var listenInfos: [TransportListenInfo]
    public var enableUdp: Bool
    /// Default: true with a WebRtcServer, false otherwise (as mediasoup).
    public var enableTcp: Bool?
    public var preferUdp: Bool
    public var preferTcp: Bool
    /// Seconds without a valid check before ICE is `disconnected`; 0 disables, else 10–60.
    public var iceConsentTimeout: Int

    public init(
        webRtcServer: WebRtcServer? = nil, listenInfos: [TransportListenInfo] = [], enableUdp: Bool = true,
        enableTcp: Bool? = nil, preferUdp: Bool = false, preferTcp: Bool = false, iceConsentTimeout: Int = 30
    ) {
        self.webRtcServer = webRtcServer
        self.listenInfos = listenInfos
        self.enableUdp = enableUdp
        self.enableTcp = enableTcp
        self.preferUdp = preferUdp
        self.preferTcp = preferTcp
        self.iceConsentTimeout = iceConsentTimeout
    }
}
