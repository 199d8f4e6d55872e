import SocketIO

/// RTP, RTCP and SCTP between two routers (mediasoup's PipeTransport), usually on other
/// workers or hosts: a plain transport with RTCP multiplexed and an explicit remote address,
/// whose consumers forward every encoding of their producer (``Consumer`` of type `pipe`) and
/// whose producers keep the id and CNAME of the producer they re-create.
///
/// ``Router/pipeToRouter(_:)`` creates and connects a pair of them; an application piping
/// between hosts creates them itself and exchanges the tuples and SRTP parameters.
public final class PipeTransport: PlainTransport, @unchecked Sendable {
    public let enableRtx: Bool
    /// The other transport of a pair ``Router/pipeToRouter(_:)`` made: closing one closes both.
    weak var pairedTransport: PipeTransport?
    /// The router of ``pairedTransport``, whose pair this router caches.
    var pairedRouterId: String?

    private init(
        router: Router, options: PlainTransportOptions, enableRtx: Bool, socket: UdpSocket, localKey: SrtpMasterKey?
    ) throws {
        self.enableRtx = enableRtx
        try super.init(router: router, options: options, socket: socket, rtcpSocket: nil, localKey: localKey)
    }

    static func open(router: Router, options: PipeTransportOptions) async throws -> PipeTransport {
        let plainOptions = PlainTransportOptions(
            listenInfo: options.listenInfo, rtcpMux: true, comedia: false, enableSrtp: options.enableSrtp,
            srtpCryptoSuite: Self.srtpCryptoSuite, enableSctp: options.enableSctp, numSctpStreams: options.numSctpStreams,
            maxSctpMessageSize: options.maxSctpMessageSize)
        let enableRtx = options.enableRtx
        return try await open(router: router, options: plainOptions) { router, options, socket, _, key in
            try PipeTransport(router: router, options: options, enableRtx: enableRtx, socket: socket, localKey: key)
        }
    }

    /// mediasoup's pipe transports use this suite only, so a pipe to a mediasoup host works both ways.
    static let srtpCryptoSuite = SrtpCryptoSuite.aeadAes256Gcm

    /// Sets the remote tuple (the other pipe transport's) and, with SRTP, its keys. Only once.
    public func connect(ip: String, port: Int, srtpParameters: SrtpParameters? = nil) async throws {
        try await connect(PlainTransportConnectParameters(ip: ip, port: port, srtpParameters: srtpParameters))
    }

    public override func connect(_ parameters: PlainTransportConnectParameters) async throws {
        if let suite = parameters.srtpParameters?.cryptoSuite, suite != Self.srtpCryptoSuite {
            throw EngineError.invalidArgument("invalid/unsupported srtpParameters.cryptoSuite")
        }
        try await super.connect(parameters)
    }

    /// A pipe consumer of the producer: every encoding, with the router's payload types and
    /// header extension ids, no MID, and NACK only with `enableRtx`.
    public func consume(producerId: String) async throws -> Consumer {
        let enableRtx = enableRtx
        return try await addConsumer(ConsumerOptions(producerId: producerId, rtpCapabilities: RtpCapabilities(), pipe: true)) {
            Ortc.pipeConsumerRtpParameters(consumableParameters: $0.consumableRtpParameters, enableRtx: enableRtx)
        }
    }

    /// Pipe transports only make pipe consumers; the capabilities and options are not used.
    public override func consume(_ options: ConsumerOptions) async throws -> Consumer {
        try await consume(producerId: options.producerId)
    }

    override var keepsProducerCnames: Bool { true }

    override var statsType: String { "pipe-transport" }

    override func closeResources() {
        super.closeResources()
        if let pairedTransport {
            pairedTransport.eventLoop.execute { pairedTransport.closeOnLoop(reason: .explicit) }
        }
    }
}
