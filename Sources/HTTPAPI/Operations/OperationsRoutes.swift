import Hummingbird
import NIOCore
import Prometheus

/// `/healthz`, `/readyz`, `/metrics` and `/config`: what load balancers, Kubernetes probes and
/// Prometheus read. None of them require the API key.
public struct OperationsRoutes: Sendable {
    let readiness: ServerReadiness
    let metricsRegistry: PrometheusCollectorRegistry?
    let publicConfiguration: ByteBuffer
    private let processMetrics: ProcessMetrics?

    /// - Parameters:
    ///   - metricsRegistry: the registry `/metrics` emits; nil disables the route.
    ///   - publicConfiguration: the JSON `/config` answers. It must hold no secret.
    public init(readiness: ServerReadiness, metricsRegistry: PrometheusCollectorRegistry?, publicConfiguration: ByteBuffer) {
        self.readiness = readiness
        self.metricsRegistry = metricsRegistry
        self.publicConfiguration = publicConfiguration
        self.processMetrics = metricsRegistry.map(ProcessMetrics.init(registry:))
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("healthz") { _, _ in Self.json(.ok, #"{"status":"ok"}"#) }
        router.get("readyz") { _, _ in
            switch readiness.state {
            case .ready: Self.json(.ok, #"{"status":"ready"}"#)
            case .starting: Self.json(.serviceUnavailable, #"{"status":"starting"}"#)
            case .draining: Self.json(.serviceUnavailable, #"{"status":"draining"}"#)
            }
        }
        router.get("config") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: publicConfiguration))
        }
        if let metricsRegistry, let processMetrics {
            router.get("metrics") { _, _ in
                processMetrics.update()
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: metricsRegistry.emitToBuffer())))
            }
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
