import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Prometheus
import Rooms
import XCTest

/// A real media worker pool on loopback behind the REST API router, as `sfu-server serve` wires
/// it; each test talks to it through HummingbirdTesting's in-process router client.
class RoomAPITestCase: XCTestCase {
    static let webSocketURL = "wss://sfu.example:4443"

    private var pool: MediaWorkerPool!

    override func setUp() async throws {
        pool = try await MediaWorkerPool.start(
            settings: MediaSettings(workerCount: 1, listenIP: "127.0.0.1", useWebRtcServer: false))
    }

    override func tearDown() async throws {
        await pool.close()
    }

    func makeRegistry(configuration: RoomsConfiguration = RoomsConfiguration()) -> RoomRegistry {
        RoomRegistry(pool: pool, configuration: configuration)
    }

    /// The operations routes `sfu-server serve` registers, with metrics on.
    static func makeOperations() -> OperationsRoutes {
        OperationsRoutes(
            readiness: ServerReadiness(), metricsRegistry: PrometheusCollectorRegistry(),
            publicConfiguration: ByteBuffer(string: "{}"))
    }

    /// Runs `test` against the router `sfu-server serve` builds and closes every room it left
    /// open.
    @discardableResult
    func withAPI<Value: Sendable>(
        configuration: RoomsConfiguration = RoomsConfiguration(), apiKey: String? = nil,
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let registry = makeRegistry(configuration: configuration)
        let router = APIRouter.make(
            operations: Self.makeOperations(), rooms: RoomRoutes(registry: registry, webSocketURL: Self.webSocketURL),
            apiKey: apiKey)
        do {
            let value = try await Application(router: router).test(.router, test)
            await registry.closeAll()
            return value
        } catch {
            await registry.closeAll()
            throw error
        }
    }
}

extension TestClientProtocol {
    /// Sends `json` (if any) as an `application/json` body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields = headers
        if json != nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) })
    }

    /// Adds broadcaster `id` to `roomId`, with RTP capabilities when given (a JSON object).
    func addBroadcaster(_ id: String, to roomId: String, rtpCapabilities: String? = nil) async throws -> TestResponse {
        let capabilities = rtpCapabilities.map { #", "rtpCapabilities": \#($0)"# } ?? ""
        return try await send(
            .post, "/rooms/\(roomId)/broadcasters",
            json: #"{"id": "\#(id)", "displayName": "\#(id)", "device": {"name": "FFmpeg"}\#(capabilities)}"#)
    }

    /// Creates a transport for a broadcaster and answers its JSON description.
    func createTransport(
        for broadcasterId: String, in roomId: String, json: String
    ) async throws -> [String: Any] {
        let response = try await send(.post, "/rooms/\(roomId)/broadcasters/\(broadcasterId)/transports", json: json)
        XCTAssertStatus(response, .ok)
        return try response.jsonObject()
    }
}

extension TestResponse {
    /// The body as a JSON object; fails the test when it is not one.
    func jsonObject(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(String(buffer: body))", file: file, line: line)
    }

    /// The body as a JSON array; fails the test when it is not one.
    func jsonArray(file: StaticString = #filePath, line: UInt = #line) throws -> [Any] {
        let value = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try XCTUnwrap(value as? [Any], "not a JSON array: \(String(buffer: body))", file: file, line: line)
    }
}

/// Asserts a JSON error answer: the status, `application/json`, and an `error` message
/// containing `message`.
func XCTAssertJSONError(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ message: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(response.status, status, String(buffer: response.body), file: file, line: line)
    XCTAssertEqual(response.headers[.contentType], "application/json", file: file, line: line)
    let object = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
    let error = object?["error"] as? String
    XCTAssertNotNil(error, "no error field in \(String(buffer: response.body))", file: file, line: line)
    XCTAssertTrue(
        error?.contains(message) == true, "error \(error ?? "nil") does not contain \(message)", file: file, line: line)
}

/// Asserts the status of an answer, showing its body when it differs.
func XCTAssertStatus(
    _ response: TestResponse, _ status: HTTPResponse.Status, file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(response.status, status, String(buffer: response.body), file: file, line: line)
}
