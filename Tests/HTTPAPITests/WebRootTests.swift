import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import NIOCore
import XCTest

/// The web app's files share the HTTPS port with the API: `/` is `index.html`, routes win over
/// files, and a path that is neither is the API's JSON 404.
final class WebRootTests: XCTestCase {
    func testWebRootIsServedBesideTheRoutes() async throws {
        let webRoot = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: webRoot, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: webRoot) }
        try "<title>call</title>".write(to: webRoot.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "export const x = 1;".write(to: webRoot.appendingPathComponent("app.js"), atomically: true, encoding: .utf8)
        try "not the probe".write(to: webRoot.appendingPathComponent("healthz"), atomically: true, encoding: .utf8)

        let operations = OperationsRoutes(
            readiness: ServerReadiness(), metricsRegistry: nil, publicConfiguration: ByteBuffer(string: "{}"))
        let app = Application(router: APIRouter.make(operations: operations, webRoot: webRoot.path))
        try await app.test(.router) { client in
            try await client.execute(uri: "/?roomId=r&peerId=p", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(String(buffer: response.body), "<title>call</title>")
            }
            try await client.execute(uri: "/app.js", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "text/javascript")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                XCTAssertEqual(String(buffer: response.body), #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/missing.js", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
                XCTAssertTrue(String(buffer: response.body).contains(#""error""#))
            }
        }
    }
}
