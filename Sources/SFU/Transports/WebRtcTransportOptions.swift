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
    /// Data channels: an SCTP association over DTLS with these streams and message size.
    public var enableSctp: Bool
    public var numSctpStreams: NumSctpStreams
    public var maxSctpMessageSize: Int

    public init(
        webRtcServer: WebRtcServer? = nil, listenInfos: [TransportListenInfo] = [], enableUdp: Bool = true,
        enableTcp: Bool? = nil, preferUdp: Bool = false, preferTcp: Bool = false, iceConsentTimeout: Int = 30,
        enableSctp: Bool = false, numSctpStreams: NumSctpStreams = NumSctpStreams(OS: 1024, MIS: 1024),
        maxSctpMessageSize: Int = 262_144
    ) {
        self.enableSctp = enableSctp
        self.numSctpStreams = numSctpStreams
        self.maxSctpMessageSize = maxSctpMessageSize
        self.webRtcServer = webRtcServer
        self.listenInfos = listenInfos
        self.enableUdp = enableUdp
        self.enableTcp = enableTcp
        self.preferUdp = preferUdp
        self.preferTcp = preferTcp
        self.iceConsentTimeout = iceConsentTimeout
    }
}
