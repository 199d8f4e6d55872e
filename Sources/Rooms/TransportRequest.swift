import SFU

/// What kind of transport a participant asks for, with the options the faces expose.
public enum TransportRequest: Sendable {
    case webRtc(WebRtcTransportRequest)
    case plain(PlainTransportRequest)
}

/// Options of a WebRTC transport request (mediasoup-demo's `createWebRtcTransport`).
public struct WebRtcTransportRequest: Sendable {
    public var preferUdp: Bool
    public var preferTcp: Bool
    /// False for mediasoup-demo's `forceTcp`: only TCP candidates, for networks that block UDP.
    public var enableUdp: Bool
    /// Present when the client wants data channels.
    public var sctpCapabilities: SctpCapabilities?
    /// The client receives on this transport: the room puts the consumers it creates for a
    /// peer on its consuming transport (mediasoup-demo's `appData.consuming`).
    public var consuming: Bool
    /// The client sends on this transport. One that only consumes goes to the receiving
    /// router of a room with pipe transports.
    public var producing: Bool

    public init(
        preferUdp: Bool = false, preferTcp: Bool = false, enableUdp: Bool = true,
        sctpCapabilities: SctpCapabilities? = nil, consuming: Bool = false, producing: Bool = true
    ) {
        self.producing = producing
        self.preferUdp = preferUdp
        self.preferTcp = preferTcp
        self.enableUdp = enableUdp
        self.sctpCapabilities = sctpCapabilities
        self.consuming = consuming
    }
}

/// Options of a plain RTP transport request; the defaults are mediasoup-demo's broadcaster ones
/// (`comedia` on, `rtcpMux` off), which ffmpeg and GStreamer scripts expect.
public struct PlainTransportRequest: Sendable {
    public var rtcpMux: Bool
    public var comedia: Bool
    public var enableSrtp: Bool
    public var srtpCryptoSuite: SrtpCryptoSuite
    /// Present for data channels: SCTP over the plain UDP tuple.
    public var sctpCapabilities: SctpCapabilities?

    public init(
        rtcpMux: Bool = false, comedia: Bool = true, enableSrtp: Bool = false,
        srtpCryptoSuite: SrtpCryptoSuite = .aesCm128HmacSha1_80, sctpCapabilities: SctpCapabilities? = nil
    ) {
        self.sctpCapabilities = sctpCapabilities
        self.rtcpMux = rtcpMux
        self.comedia = comedia
        self.enableSrtp = enableSrtp
        self.srtpCryptoSuite = srtpCryptoSuite
    }
}
