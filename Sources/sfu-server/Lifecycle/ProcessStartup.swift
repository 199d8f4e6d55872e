import ArgumentParser
import Foundation
import HTTPAPI
import Logging
import Metrics
import NIOSSL
import Prometheus
import ServiceLifecycle
import Turn

/// What every serving subcommand does first: settings, logging, metrics, TLS material.
/// Configuration problems end the process here with one line and exit code 2.
struct ProcessStartup {
    let configuration: ServerConfiguration
    let logger: Logger
    let metricsRegistry: PrometheusCollectorRegistry

    init(settings: SettingOptions, role: String) {
        let configuration = ConfigurationFailure.exitOnError { () throws(ConfigurationError) in
            try ConfigurationLoader.load(options: settings)
        }
        LoggingBootstrap.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = PrometheusNames.sanitize
        MetricsSystem.bootstrap(factory)
        self.configuration = configuration
        self.logger = Logger(label: "sfu-server")
        self.metricsRegistry = registry
        logger.notice(
            "starting sfu-server \(role)",
            metadata: [
                "version": "\(ServerVersion.current)",
                "workers": "\(configuration.media.workerCount)",
            ])
        for ports in configuration.mediaPortsAmongRelayPorts {
            let relay = configuration.turn.relayPortRange
            logger.warning(
                "media ports \(ports.lowerBound)-\(ports.upperBound) overlap the TURN relay ports \(relay.lowerBound)-\(relay.upperBound): a TURN client may relay to another allocation through them; set MEDIASOUP_MIN_PORT/MEDIASOUP_MAX_PORT, SFU_WEBRTC_SERVER_PORT and SFU_TURN_MIN_PORT/SFU_TURN_MAX_PORT apart")
        }
        if configuration.media.announcedIPWasDetected {
            let announced = configuration.media.announcedIP
            // A cloud VM's interface holds its private address only: the commonest reason
            // browsers elsewhere cannot connect (ICE fails, and TURN relays announce it too).
            if let bytes = IPNetwork.addressBytes(announced), PeerAddressPolicy.isInternal(bytes) {
                logger.warning(
                    "announced IP auto-detected as \(announced), a private address: only clients on this network can reach the media; behind NAT (a cloud VM, Docker's bridge) set MEDIASOUP_ANNOUNCED_IP or --announced-ip to the public IP")
            } else {
                logger.notice(
                    "announced IP auto-detected as \(announced); set MEDIASOUP_ANNOUNCED_IP or --announced-ip to the address clients reach this host by (the public IP behind NAT)")
            }
        }
    }

    /// The HTTPS certificate (made on first run when none is configured) as a TLS server configuration.
    func tlsConfiguration() -> TLSConfiguration {
        let https = configuration.https
        if https.usesDevelopmentCertificate {
            do {
                let created = try DevelopmentCertificate.createUnlessCurrent(
                    certificatePath: https.certificatePath,
                    privateKeyPath: https.privateKeyPath,
                    hostNames: Array(Set(["localhost", HostFacts.current().hostName, configuration.client.ingressHost])),
                    ipAddresses: ["127.0.0.1", "::1", configuration.media.announcedIP])
                if created {
                    logger.notice(
                        "generated a self-signed development certificate; set HTTPS_CERT_FULLCHAIN and HTTPS_CERT_PRIVKEY for production",
                        metadata: ["certificate": "\(https.certificatePath)"])
                }
            } catch {
                ConfigurationFailure.report(
                    .unreadableCertificate(
                        .certificate, path: https.certificatePath, reason: "cannot create a development certificate (\(error))"))
            }
        }
        return ConfigurationFailure.exitOnError { () throws(ConfigurationError) in
            try TLSMaterial.serverConfiguration(https: https)
        }
    }

    /// `/healthz`, `/readyz`, `/metrics` and `/config` for this process.
    func operationsRoutes(readiness: ServerReadiness) throws -> OperationsRoutes {
        OperationsRoutes(
            readiness: readiness,
            metricsRegistry: configuration.metricsEnabled ? metricsRegistry : nil,
            publicConfiguration: try PublicConfiguration(configuration).jsonBuffer())
    }

    /// The drain on SIGTERM/SIGINT, waiting for `activeSessions` to reach zero.
    func drainService(readiness: ServerReadiness, activeSessions: @escaping @Sendable () async -> Int) -> DrainService {
        DrainService(
            readiness: readiness,
            drainTimeout: configuration.drainTimeout,
            interruptTimeout: .seconds(5),
            activeSessions: activeSessions,
            logger: logger)
    }

    static let shutdownAfterDrain: Duration = .seconds(5)

    /// Runs `services` until they stop; a failure (a port already in use) is one line and exit 1.
    /// The drain service goes last: it is the one that, on a signal, starts the shutdown.
    func run(_ services: [any Service], drain: DrainService) async throws {
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) }
                + [.init(service: drain, successTerminationBehavior: .gracefullyShutdownGroup)],
            logger: logger)
        // After the drain: a WebSocket whose client never answers the close must not hold the
        // process past the orchestrator's grace period (then SIGKILL, without closing rooms).
        groupConfiguration.maximumGracefulShutdownDuration = Self.shutdownAfterDrain
        let group = ServiceGroup(configuration: groupConfiguration)
        try await exitOnFailure {
            do {
                try await group.run()
            } catch where drain.readiness.state == .draining {
                // The connections left after the drain were cut off (cancelled): a stop as asked.
                logger.warning("shutdown cut short after the drain", metadata: ["error": "\(error)"])
            }
        }
        logger.notice("stopped")
    }

    /// Runs `body`; a failure (a port already in use) is one line and exit 1.
    func exitOnFailure<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            logger.critical("server stopped on an error", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("sfu-server: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
