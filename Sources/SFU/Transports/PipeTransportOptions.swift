/// What `Router.createPipeTransport` takes (mediasoup's PipeTransportOptions).
public struct PipeTransportOptions: Sendable {
    public var listenInfo: TransportListenInfo
    /// Data channels: SCTP straight over the UDP tuple, so data producers can be piped too.
    public var enableSctp: Bool
    public var numSctpStreams: NumSctpStreams
    public var maxSctpMessageSize: Int
    /// Pipe consumers keep NACK and RTX (for a lossy path between hosts); off on loopback.
    public var enableRtx: Bool
    public var enableSrtp: Bool

    public init(
        listenInfo: TransportListenInfo, enableSctp: Bool = false,
        numSctpStreams: NumSctpStreams = NumSctpStreams(OS: 1024, MIS: 1024), maxSctpMessageSize: Int = 268_435_456,
        enableRtx: Bool = false, enableSrtp: Bool = false
    ) {
        self.listenInfo = listenInfo
        self.enableSctp = enableSctp
        self.numSctpStreams = numSctpStreams
        self.maxSctpMessageSize = maxSctpMessageSize
        self.enableRtx = enableRtx
        self.enableSrtp = enableSrtp
    }
}
