import ArgumentParser
import Foundation
import HTTPAPI
import Logging
import Metrics
import NIOSSL
import Prometheus
import ServiceLifecycle

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
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        self.configuration = configuration
        self.logger = Logger(label: "sfu-server")
        self.metricsRegistry = registry
        logger.notice(
            "starting sfu-server \(role)",
            metadata: [
                "version": "\(ServerVersion.current)",
                "workers": "\(configuration.media.workerCount)",
            ])
        if configuration.media.announcedIPWasDetected {
            logger.notice(
                "announced IP auto-detected as \(configuration.media.announcedIP); set MEDIASOUP_ANNOUNCED_IP or --announced-ip to the address clients reach this host by (the public IP behind NAT)")
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

    /// Runs `services` until they stop; a failure (a port already in use) is one line and exit 1.
    /// The drain service goes last: it is the one that, on a signal, starts the shutdown.
    func run(_ services: [any Service], drain: DrainService) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }
                    + [.init(service: drain, successTerminationBehavior: .gracefullyShutdownGroup)],
                logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("server stopped on an error", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("sfu-server: \(error)\n".utf8))
            throw ExitCode.failure
        }
        logger.notice("stopped")
    }
}
