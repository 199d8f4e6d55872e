/// What `Router.pipeToRouter` takes (mediasoup's PipeToRouterOptions): one producer or data
/// producer, the destination router, and how the pipe transports between them are made.
public struct PipeToRouterOptions: Sendable {
    /// Exactly one of `producerId` and `dataProducerId`.
    public var producerId: String?
    public var dataProducerId: String?
    public var router: Router
    public var listenInfo: TransportListenInfo
    public var enableSctp: Bool
    public var numSctpStreams: NumSctpStreams
    public var enableRtx: Bool
    public var enableSrtp: Bool

    public init(
        producerId: String? = nil, dataProducerId: String? = nil, router: Router,
        listenInfo: TransportListenInfo = TransportListenInfo(protocol: .udp, ip: "127.0.0.1"), enableSctp: Bool = true,
        numSctpStreams: NumSctpStreams = NumSctpStreams(OS: 1024, MIS: 1024), enableRtx: Bool = false,
        enableSrtp: Bool = false
    ) {
        self.producerId = producerId
        self.dataProducerId = dataProducerId
        self.router = router
        self.listenInfo = listenInfo
        self.enableSctp = enableSctp
        self.numSctpStreams = numSctpStreams
        self.enableRtx = enableRtx
        self.enableSrtp = enableSrtp
    }
}
