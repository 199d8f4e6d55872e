import HTTPAPI
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import XCTest

final class OperationsRoutesTests: XCTestCase {
    private func application(
        readiness: ServerReadiness = ServerReadiness(), registry: PrometheusCollectorRegistry? = PrometheusCollectorRegistry()
    ) -> some ApplicationProtocol {
        let operations = OperationsRoutes(
            readiness: readiness, metricsRegistry: registry,
            publicConfiguration: ByteBuffer(string: #"{"version":"test"}"#))
        return Application(router: APIRouter.make(operations: operations))
    }

    func testHealthzAnswersOk() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(String(buffer: response.body), #"{"status":"ok"}"#)
            }
        }
    }

    func testHeadIsAnsweredAsGetWithoutBody() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .head) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/json")
                XCTAssertEqual(response.body.readableBytes, 0)
            }
            try await client.execute(uri: "/no/such/route", method: .head) { response in
                XCTAssertEqual(response.status, .notFound)
                XCTAssertEqual(response.body.readableBytes, 0)
            }
        }
    }

    func testReadyzFollowsReadiness() async throws {
        let readiness = ServerReadiness(listeners: 2)
        try await application(readiness: readiness).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                XCTAssertEqual(response.status, .serviceUnavailable)
                XCTAssertEqual(String(buffer: response.body), #"{"status":"starting"}"#)
            }
            readiness.listenerBound()
            try await client.execute(uri: "/readyz", method: .get) { response in
                XCTAssertEqual(response.status, .serviceUnavailable, "one of two listeners is not bound yet")
            }
            readiness.listenerBound()
            try await client.execute(uri: "/readyz", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
            }
            readiness.beginDraining()
            try await client.execute(uri: "/readyz", method: .get) { response in
                XCTAssertEqual(response.status, .serviceUnavailable, "draining is final")
                XCTAssertEqual(String(buffer: response.body), #"{"status":"draining"}"#)
            }
        }
    }

    func testMetricsEmitsProcessMetricsInPrometheusText() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(descriptor: .init(metricName: "sfu_test", unitName: "total", helpText: "a test counter")).increment(by: Int64(3))
        try await application(registry: registry).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                XCTAssertTrue(text.contains("sfu_test_total 3"), text)
                XCTAssertTrue(text.contains("# TYPE process_resident_memory_bytes gauge"), text)
                let resident = text.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
                let bytes = resident.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
                XCTAssertGreaterThan(bytes, 1_000_000)
            }
        }
    }

    func testMetricsCanBeDisabled() async throws {
        try await application(registry: nil).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
            }
        }
    }

    func testConfigServesThePublicConfiguration() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/config", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/json")
                XCTAssertEqual(String(buffer: response.body), #"{"version":"test"}"#)
            }
        }
    }

    func testUnknownRouteAnswersJSONError() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/nope", method: .post) { response in
                XCTAssertEqual(response.status, .notFound)
                XCTAssertEqual(response.headers[.contentType], "application/json")
                XCTAssertEqual(String(buffer: response.body), #"{"error":"no route for POST /nope"}"#)
            }
        }
    }
}
