import ArgumentParser
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOPosix
import Protoo
import Rooms
import SFU
import ServiceLifecycle
import Turn

/// `sfu-server` / `sfu-server serve`: the whole product in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the SFU: HTTPS/WSS signaling, media workers and TURN (the default command).")

    @OptionGroup var settings: SettingOptions

    func run() async throws {
        let startup = ProcessStartup(settings: settings, role: "serve")
        let configuration = startup.configuration
        let logger = startup.logger
        let tls = startup.tlsConfiguration()
        let readiness = ServerReadiness(listeners: configuration.turn.enabled ? 2 : 1)
        var services: [any Service] = []

        let turn = configuration.turn.enabled
            ? try TurnServer(
                configuration: TurnServerConfiguration(configuration, tls: tls, readiness: readiness, besideSfu: true),
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: Logger(label: "sfu-server.turn"),
                onListening: { _ in readiness.listenerBound() })
            : nil
        if let turn { services.append(turn) }

        let media = configuration.media
        let pool = try await startup.exitOnFailure { () async throws in try await MediaWorkerPool.start(
            settings: MediaSettings(
                workerCount: media.workerCount, listenIP: media.listenIP, announcedAddress: media.announcedIP,
                portRange: PortRange(min: media.portRange.lowerBound, max: media.portRange.upperBound),
                useWebRtcServer: media.useWebRtcServer, webRtcServerPort: media.webRtcServerPort,
                srtpBackend: media.srtpBackend, maxIncomingBitrate: media.maxIncomingBitrate),
            logger: Logger(label: "sfu-server.media")) }
        let registry = RoomRegistry(
            pool: pool,
            configuration: RoomsConfiguration(
                autoCreateRooms: configuration.rooms.autoCreate,
                defaultMaxPeerCount: configuration.rooms.maxPeerCount,
                idleRoomTimeout: configuration.rooms.idleTimeout,
                iceServers: ClientIceServers.provider(configuration),
                acceptsNewSessions: { readiness.state != .draining },
                webhooks: WebhookSettings(
                    secret: configuration.rooms.webhookSecret, liveInterval: configuration.rooms.liveInterval)),
            logger: Logger(label: "sfu-server.rooms"))
        let rooms = RoomRoutes(
            registry: registry,
            webSocketURL: "wss://\(configuration.client.urlHost):\(configuration.client.protooPort)")
        let accessVerifier: ProtooAccessVerifier? =
            if let key = configuration.protooAccessKey { await ProtooAccessVerifier(key: key) } else { nil }
        let protoo = ProtooRoute(
            registry: registry, accessVerifier: accessVerifier, logger: Logger(label: "sfu-server.protoo"))
        let router = APIRouter.make(
            operations: try startup.operationsRoutes(readiness: readiness), rooms: rooms, apiKey: configuration.apiKey,
            webRoot: configuration.webRoot)
        let webSockets = Router(context: BasicWebSocketRequestContext.self)
        protoo.register(on: webSockets)
        if !FileManager.default.fileExists(atPath: configuration.webRoot + "/index.html") {
            logger.warning(
                "no web app: \(configuration.webRoot)/index.html does not exist (set SFU_WEB_ROOT to its directory)")
        }
        let address = "\(configuration.https.listenIP):\(configuration.https.port)"
        let httpsListening = ListeningReport()
        // Keep-alive connections idle for a minute are closed; a connection's first request is
        // guarded by FirstRequestGuard, which Hummingbird's idle timeout does not cover.
        let channelConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: HTTP1Channel.Configuration(idleTimeout: .seconds(60)), ws: ProtooRoute.webSocketConfiguration.ws)
        let webSocketResponder = webSockets.buildResponder()
        let httpServer = HTTPServerBuilder { responder in
            GuardedHTTPChannel(
                base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: channelConfiguration),
                firstRequestTimeout: .seconds(20))
        }
        let https = Application(
                router: router,
                server: try .tls(httpServer, tlsConfiguration: tls),
                configuration: .init(
                    address: .hostname(configuration.https.listenIP, port: configuration.https.port),
                    serverName: "sfu-server/\(ServerVersion.current)"),
                onServerRunning: { _ in
                    httpsListening.report()
                    readiness.listenerBound()
                    logger.notice("listening for HTTPS and WSS", metadata: ["address": "\(address)"])
                },
                logger: logger)
        services.append(
            ListenerService(
                wrapped: https, purpose: "HTTPS and WSS (PROTOO_LISTEN_PORT)", host: configuration.https.listenIP,
                port: configuration.https.port, listening: httpsListening))

        // Relayed media outlives its signaling session by a little; wait for both.
        let drain = startup.drainService(
            readiness: readiness,
            activeSessions: { await registry.participantCount() + (turn?.allocationCount ?? 0) })
        try await startup.run(services, drain: drain)
        await registry.closeAll()
        await pool.close()
    }
}
