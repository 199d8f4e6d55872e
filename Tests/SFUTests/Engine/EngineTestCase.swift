import NIOCore
import NIOPosix
import SocketIO
import XCTest
@testable import SFU

/// A worker on its own event loop with one router of mediasoup-demo's codecs, and the
/// loopback endpoints a test opened, closed after each test.
class EngineTestCase: XCTestCase {
    /// Loops for the test's own endpoints.
    var group: MultiThreadedEventLoopGroup!
    /// The worker's loop, of the kind sfu-server gives its workers.
    private var workerLoop: SocketEventLoop!
    var worker: Worker!
    var router: Router!
    /// Closes the loopback endpoints the test opened.
    private var endpointClosers: [@Sendable () async -> Void] = []

    override func setUp() async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        workerLoop = try SocketEventLoop(name: "SFU-Worker-test")
        worker = try Worker(eventLoop: workerLoop)
        router = try await worker.createRouter(mediaCodecs: EngineTestFixtures.demoMediaCodecs)
    }

    override func tearDown() async throws {
        for close in endpointClosers { await close() }
        endpointClosers.removeAll()
        await worker.close()
        try await workerLoop.shutdownGracefully()
        try await group.shutdownGracefully()
    }

    /// A loopback UDP endpoint closed at the end of the test.
    func udpEndpoint() async throws -> UdpTestEndpoint {
        let endpoint = try await UdpTestEndpoint(group: group)
        endpointClosers.append(endpoint.close)
        return endpoint
    }

    /// An ICE-TCP client connected to `destination`, closed at the end of the test.
    func tcpEndpoint(connectingTo destination: SocketAddress) async throws -> TcpTestEndpoint {
        let endpoint = try await TcpTestEndpoint(group: group, connectingTo: destination)
        endpointClosers.append(endpoint.close)
        return endpoint
    }

    static let loopback = TransportListenInfo(protocol: .udp, ip: "127.0.0.1")

    /// A PlainTransport (on `router`, or the test's router) connected to a new loopback peer,
    /// SRTP-keyed both ways when `srtp`.
    func plainPeer(srtp: Bool = false, on router: Router? = nil) async throws -> (PlainTransport, MediaTestPeer) {
        let endpoint = try await udpEndpoint()
        let transport = try await (router ?? self.router).createPlainTransport(
            PlainTransportOptions(listenInfo: Self.loopback, enableSrtp: srtp))
        let peerKey = srtp ? try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80) : nil
        try await transport.connect(PlainTransportConnectParameters(
            ip: "127.0.0.1", port: endpoint.port, srtpParameters: peerKey.map(SrtpParameters.init(masterKey:))))
        let peer = MediaTestPeer(udp: endpoint, destination: try await address(of: transport))
        if let peerKey, let serverKey = transport.srtpParameters {
            try peer.useSrtp(
                outbound: peerKey,
                inbound: SrtpMasterKey(suite: serverKey.cryptoSuite, keyBase64: serverKey.keyBase64))
        }
        return (transport, peer)
    }

    /// Where a PlainTransport receives RTP.
    func address(of transport: PlainTransport) async throws -> SocketAddress {
        try SocketAddress(ipAddress: "127.0.0.1", port: await transport.tuple.localPort)
    }

    /// A consumer of `producer` on `transport` with the router's own capabilities.
    func consume(
        _ producer: Producer, on transport: Transport, paused: Bool = false, enableRtx: Bool? = nil,
        rtpCapabilities: RtpCapabilities? = nil
    ) async throws -> Consumer {
        try await transport.consume(ConsumerOptions(
            producerId: producer.id, rtpCapabilities: rtpCapabilities ?? router.rtpCapabilities, paused: paused,
            enableRtx: enableRtx))
    }

    /// The transport's drop and byte counters, read on its loop.
    func counters(of transport: Transport) async throws -> TransportCounters {
        try await worker.onLoop { transport.counters }
    }

    /// Waits until `condition` holds for the transport's counters or `timeout` passed, and
    /// returns the last counters read.
    func counters(
        of transport: Transport, timeout: Duration = .seconds(3), when condition: (TransportCounters) -> Bool
    ) async throws -> TransportCounters {
        var counters = try await counters(of: transport)
        try await BoundedWait.until(timeout: timeout) {
            counters = try await self.counters(of: transport)
            return condition(counters)
        }
        return counters
    }
}
