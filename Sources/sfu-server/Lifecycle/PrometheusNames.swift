/// Prometheus names for the metrics libraries report under OpenTelemetry-style labels: counters
/// end in `_total` and durations in `_seconds`, as Prometheus' conventions (and the README) have
/// them. Hummingbird's request metrics are the ones that need it; other names pass unchanged.
enum PrometheusNames {
    private static let renamed: [String: String] = [
        "hb.requests": "hb_requests_total",
        "hb.request.errors": "hb_request_errors_total",
        "http.server.request.duration": "http_server_request_duration_seconds",
    ]

    @Sendable static func sanitize(_ name: String, _ labels: [(String, String)]) -> (String, [(String, String)]) {
        (renamed[name] ?? name, labels)
    }
}
