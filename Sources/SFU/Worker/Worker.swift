import Foundation
import Logging
import NIOCore
import SocketIO

/// One media worker: an event loop and everything that runs on it (mediasoup's Worker, which
/// is a process there and one ``SocketEventLoop`` thread here: its sockets are read with
/// `recvmmsg` into the loop's buffers and each datagram goes straight to its transport).
///
/// Routers, transports, producers and consumers created through a worker live on its
/// ``eventLoop``; their async methods hop onto it, and the packet path never leaves it.
///
/// `@unchecked Sendable`: the mutable members (router table, DTLS context) are touched only on
/// ``eventLoop`` — public methods hop there with ``onLoop(_:)`` first.
public final class Worker: @unchecked Sendable {
    public let id: String
    public let eventLoop: SocketEventLoop
    public let settings: WorkerSettings
    public let dtlsCertificate: DtlsCertificate
    var logger: Logger { settings.logger }

    /// The one timer behind every transport's periodic work.
    let transportTicker: TransportTicker
    private var dtlsContextStorage: DtlsContext?
    private var routers: [String: Router] = [:]
    private var webRtcServers: [String: WebRtcServer] = [:]
    private var closed = false

    public init(eventLoop: SocketEventLoop, settings: WorkerSettings = WorkerSettings()) throws {
        self.id = UUID().uuidString.lowercased()
        self.eventLoop = eventLoop
        self.settings = settings
        self.transportTicker = TransportTicker(eventLoop: eventLoop)
        self.dtlsCertificate = try settings.dtlsCertificate ?? DtlsCertificate.generate()
    }

    /// The OpenSSL context shared by this worker's DTLS transports; made on first use, on the loop.
    var dtlsContext: DtlsContext {
        get throws {
            eventLoop.preconditionInEventLoop()
            if let dtlsContextStorage { return dtlsContextStorage }
            let context = try DtlsContext(certificate: dtlsCertificate)
            dtlsContextStorage = context
            return context
        }
    }

    /// Runs `body` on the worker's loop.
    func onLoop<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if eventLoop.inEventLoop { return try body() }
        return try await eventLoop.submit(body).get()
    }

    /// Creates a router whose capabilities come from `mediaCodecs` (mediasoup's algorithm, so
    /// payload types match what mediasoup gives for the same list).
    public func createRouter(mediaCodecs: [RtpCodecCapability]) async throws -> Router {
        let capabilities = try Ortc.generateRouterRtpCapabilities(mediaCodecs: mediaCodecs)
        return try await onLoop { [self] in
            guard !closed else { throw EngineError.closed("worker") }
            let router = Router(worker: self, rtpCapabilities: capabilities)
            routers[router.id] = router
            return router
        }
    }

    /// Opens the shared UDP/TCP ports WebRtcTransports of this worker can use (mediasoup's
    /// `createWebRtcServer`).
    public func createWebRtcServer(listenInfos: [TransportListenInfo]) async throws -> WebRtcServer {
        let server = try await WebRtcServer.open(worker: self, listenInfos: listenInfos)
        try await onLoop { [self] in
            guard !closed else {
                server.close()
                throw EngineError.closed("worker")
            }
            webRtcServers[server.id] = server
        }
        return server
    }

    /// Routers currently open, and their transports, producers and consumers; the signaling
    /// layer spreads rooms by this. A router counts even while empty: a room is made before
    /// anyone joins it.
    public var load: Int {
        get async { (try? await onLoop { [self] in routers.values.reduce(routers.count) { $0 + $1.load } }) ?? 0 }
    }

    /// Closes every router and WebRtcServer of the worker.
    public func close() async {
        _ = try? await onLoop { [self] in
            guard !closed else { return }
            closed = true
            for router in routers.values { router.closeOnLoop() }
            routers.removeAll()
            for server in webRtcServers.values { server.closeOnLoop() }
            webRtcServers.removeAll()
        }
    }

    func routerClosed(_ router: Router) {
        routers[router.id] = nil
    }

    func webRtcServerClosed(_ server: WebRtcServer) {
        webRtcServers[server.id] = nil
    }
}
