import NIOCore

/// A transport without a network (mediasoup's DirectTransport): the application injects RTP
/// with `Producer.send(_:)` and RTCP with ``sendRtcp(_:)``, and reads what consumers on it
/// forward from ``rtpPackets`` (tell consumers apart by SSRC) and the RTCP the engine sends
/// from ``rtcpPackets``. Used by in-process bots, recorders and test sources.
///
/// Where mediasoup emits `rtp` on each consumer, this transport yields every consumer's packets
/// on one stream, in sending order; both streams finish when the transport closes.
public final class DirectTransport: Transport, @unchecked Sendable {
    public let maxMessageSize: Int
    public let rtpPackets: AsyncStream<RtpPacket>
    public let rtcpPackets: AsyncStream<ByteBuffer>
    private let rtpSink: AsyncStream<RtpPacket>.Continuation
    private let rtcpSink: AsyncStream<ByteBuffer>.Continuation

    private init(router: Router, options: DirectTransportOptions) {
        self.maxMessageSize = options.maxMessageSize
        (rtpPackets, rtpSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(4096))
        (rtcpPackets, rtcpSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
        super.init(router: router)
    }

    static func open(router: Router, options: DirectTransportOptions) async throws -> DirectTransport {
        guard options.maxMessageSize > 0 else { throw EngineError.invalidArgument("maxMessageSize must be positive") }
        return try await router.worker.onLoop {
            let transport = DirectTransport(router: router, options: options)
            transport.startTimers()
            return transport
        }
    }

    /// Injects an RTCP packet as if the remote endpoint had sent it (feedback for consumers,
    /// sender reports for producers).
    public func sendRtcp(_ packet: ByteBuffer) async throws {
        // mediasoup's cap on injected RTCP: an MTU and a little more.
        guard packet.readableBytes <= Self.maximumRtcpSize else {
            throw EngineError.invalidArgument(
                "RTCP packet of \(packet.readableBytes) bytes exceeds \(Self.maximumRtcpSize) bytes")
        }
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            receiveRtcpPacket(packet, now: .now())
        }
    }

    /// Injects one RTP packet of a producer on this transport.
    func injectRtp(_ packet: ByteBuffer) async throws {
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            receiveRtpPacket(packet, now: .now())
        }
    }

    static let maximumRtcpSize = 1500 + 100

    // MARK: - Transport hooks

    override var isMediaReady: Bool { !isClosed }

    override func sendRtpPacket(_ packet: consuming RtpPacket) {
        rtpSink.yield(packet)
    }

    override func sendRtcpPacket(_ buffer: ByteBuffer) {
        rtcpSink.yield(buffer)
    }

    override func closeResources() {
        rtpSink.finish()
        rtcpSink.finish()
    }
}
