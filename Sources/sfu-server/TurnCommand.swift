import ArgumentParser
import HTTPAPI
import Hummingbird
import Logging
import NIOPosix
import Turn

/// `sfu-server turn`: the TURN/STUN server alone, so it can be scaled and placed separately.
/// Health, readiness and metrics are served over plain HTTP on the TURN health port.
struct TurnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turn",
        abstract: "Run only the TURN/STUN server (health and metrics over HTTP on --turn-health-port).")

    @OptionGroup var settings: SettingOptions

    func run() async throws {
        let startup = ProcessStartup(settings: settings, role: "turn")
        let configuration = startup.configuration
        let logger = startup.logger
        let readiness = ServerReadiness(listeners: 2)

        let turn = try TurnServer(
            configuration: TurnServerConfiguration(
                configuration, tls: startup.tlsConfiguration(), readiness: readiness, besideSfu: false),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "sfu-server.turn"),
            onListening: { _ in readiness.listenerBound() })
        let healthListening = ListeningReport()
        let health = Application(
            router: APIRouter.make(operations: try startup.operationsRoutes(readiness: readiness)),
            configuration: .init(address: .hostname(configuration.turn.listenIP, port: configuration.turn.healthPort)),
            onServerRunning: { _ in
                healthListening.report()
                readiness.listenerBound()
            },
            logger: logger)
        let drain = startup.drainService(readiness: readiness, activeSessions: { turn.allocationCount })
        try await startup.run(
            [
                turn,
                ListenerService(
                    wrapped: health, purpose: "health and metrics (SFU_TURN_HEALTH_PORT)", host: configuration.turn.listenIP,
                    port: configuration.turn.healthPort, listening: healthListening),
            ], drain: drain)
    }
}
