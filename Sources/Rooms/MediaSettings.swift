import SFU

/// How the media workers listen and what they announce (mediasoup-demo's `mediasoup` config
/// section, from `MEDIASOUP_*` settings).
public struct MediaSettings: Sendable {
    public var workerCount: Int
    /// The IP media sockets bind to (0.0.0.0 for all interfaces).
    public var listenIP: String
    /// The address put in ICE candidates and plain-transport answers (an IP or host name).
    public var announcedAddress: String?
    public var portRange: PortRange
    /// Share one UDP and one TCP port per worker (mediasoup's WebRtcServer) instead of a port
    /// pair per transport.
    public var useWebRtcServer: Bool
    /// The WebRtcServer port of worker 0; worker i uses this plus i.
    public var webRtcServerPort: Int
    public var srtpBackend: SrtpBackend
    public var mediaCodecs: [RtpCodecCapability]
    /// What a client may send on one WebRTC transport, in bits per second (0 = no limit):
    /// mediasoup-demo's `maxIncomingBitrate`, applied to each WebRTC transport made. No limit by
    /// default, as mediasoup's: the demo's 1.5 Mbit/s keeps Chromium from sending the 720p layer
    /// of the demo's own three-layer simulcast.
    public var maxIncomingBitrate: Int

    public init(
        workerCount: Int = 1, listenIP: String = "0.0.0.0", announcedAddress: String? = nil,
        portRange: PortRange = PortRange(min: 40000, max: 49999), useWebRtcServer: Bool = true,
        webRtcServerPort: Int = 44444, srtpBackend: SrtpBackend = .openssl,
        mediaCodecs: [RtpCodecCapability] = RtpCodecCapability.mediasoupDemoCodecs, maxIncomingBitrate: Int = 0
    ) {
        self.workerCount = workerCount
        self.listenIP = listenIP
        self.announcedAddress = announcedAddress
        self.portRange = portRange
        self.useWebRtcServer = useWebRtcServer
        self.webRtcServerPort = webRtcServerPort
        self.srtpBackend = srtpBackend
        self.mediaCodecs = mediaCodecs
        self.maxIncomingBitrate = maxIncomingBitrate
    }

    /// The listen info of a transport socket of `protocol` on a port of the range.
    func listenInfo(_ protocol: TransportTuple.TransportProtocol) -> TransportListenInfo {
        TransportListenInfo(protocol: `protocol`, ip: listenIP, announcedAddress: announcedAddress, portRange: portRange)
    }
}
