import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest

/// The optional API key in front of the REST API.
final class APIKeyMiddlewareTests: RoomAPITestCase {
    private static let key = "s3cret"

    private static func bearer(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }

    func testRoomRoutesRequireTheBearerKey() async throws {
        try await withAPI(apiKey: APIKeyMiddlewareTests.key) { client in
            let anonymous = try await client.send(.get, "/rooms")
            XCTAssertJSONError(anonymous, .unauthorized, "missing or wrong API key")
            XCTAssertEqual(anonymous.headers[.wwwAuthenticate], "Bearer")
            XCTAssertJSONError(
                try await client.send(.get, "/rooms", headers: APIKeyMiddlewareTests.bearer("wrong")), .unauthorized,
                "missing or wrong API key")
            XCTAssertJSONError(
                try await client.send(.get, "/rooms", headers: [.authorization: "Basic \(APIKeyMiddlewareTests.key)"]),
                .unauthorized, "missing or wrong API key")
            XCTAssertJSONError(try await client.send(.post, "/rooms/locked"), .unauthorized, "API key")
            XCTAssertJSONError(try await client.addBroadcaster("cam", to: "locked"), .unauthorized, "API key")
            XCTAssertJSONError(try await client.send(.get, "/getRoomId"), .unauthorized, "API key")
            // The router skips empty path segments; so does the key check.
            XCTAssertJSONError(try await client.send(.post, "//rooms/locked"), .unauthorized, "API key")
            XCTAssertJSONError(try await client.send(.get, "/rooms//locked/"), .unauthorized, "API key")

            let authorized = try await client.send(.get, "/rooms", headers: APIKeyMiddlewareTests.bearer(APIKeyMiddlewareTests.key))
            XCTAssertStatus(authorized, .ok)
            XCTAssertTrue(try authorized.jsonArray().isEmpty, "refused requests created rooms")
            XCTAssertStatus(
                try await client.send(.post, "/rooms/open", headers: APIKeyMiddlewareTests.bearer(APIKeyMiddlewareTests.key)),
                .created)
            XCTAssertStatus(
                try await client.send(.get, "/getRoomId", headers: APIKeyMiddlewareTests.bearer(APIKeyMiddlewareTests.key)), .ok)
        }
    }

    func testProbesMetricsAndDocumentNeedNoKey() async throws {
        try await withAPI(apiKey: APIKeyMiddlewareTests.key) { client in
            XCTAssertStatus(try await client.send(.get, "/healthz"), .ok)
            XCTAssertStatus(try await client.send(.get, "/readyz"), .serviceUnavailable)
            XCTAssertStatus(try await client.send(.get, "/metrics"), .ok)
            XCTAssertStatus(try await client.send(.get, "/config"), .ok)
            XCTAssertStatus(try await client.send(.get, "/openapi.json"), .ok)
            let health = try await client.send(.get, "/rooms/health")
            XCTAssertStatus(health, .ok)
            XCTAssertEqual(try health.jsonObject()["status"] as? String, "ok")
            let rooms = try await client.send(.get, "/rooms", headers: APIKeyMiddlewareTests.bearer(APIKeyMiddlewareTests.key))
            XCTAssertTrue(try rooms.jsonArray().isEmpty, "the health probe made a room")
        }
    }

    func testWithoutAKeyTheRoomRoutesAreOpen() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.send(.get, "/rooms"), .ok)
            XCTAssertStatus(try await client.send(.get, "/getRoomId"), .ok)
        }
    }
}
