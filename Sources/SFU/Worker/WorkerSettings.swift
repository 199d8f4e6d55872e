import Logging

/// What a ``Worker`` is created with (mediasoup's `WorkerSettings`, minus what only a separate
/// process needs).
public struct WorkerSettings: Sendable {
    /// Ports for transports that listen on their own sockets (mediasoup's `rtcMinPort`/`rtcMaxPort`).
    public var rtcPortRange: PortRange
    /// The DTLS certificate of every WebRtcTransport of the worker; generated when nil.
    public var dtlsCertificate: DtlsCertificate?
    public var srtpBackend: SrtpBackend
    public var logger: Logger

    public init(
        rtcPortRange: PortRange = PortRange(min: 40000, max: 49999), dtlsCertificate: DtlsCertificate? = nil,
        srtpBackend: SrtpBackend = .openssl, logger: Logger = Logger(label: "sfu.worker")
    ) {
        self.rtcPortRange = rtcPortRange
        self.dtlsCertificate = dtlsCertificate
        self.srtpBackend = srtpBackend
        self.logger = logger
    }
}
