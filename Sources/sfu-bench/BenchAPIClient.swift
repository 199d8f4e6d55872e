import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import SFU

/// The REST calls the server benchmark makes, as a broadcaster script would (mediasoup-demo's
/// broadcaster API), plus scraping the server's own process metrics.
struct BenchAPIClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct PlainTransport: Decodable {
        var id: String
        var ip: String
        var port: Int
        var srtpParameters: SrtpParameters?
    }

    struct Consumer: Decodable {
        var id: String
        var rtpParameters: RtpParameters
    }

    /// The server's `process_cpu_seconds_total` and `process_resident_memory_bytes`.
    struct ProcessSample {
        var cpuSeconds: Double
        var residentBytes: Double
    }

    let baseURL: String
    let apiKey: String?
    let client: HTTPClient

    init(baseURL: String, apiKey: String?) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        // The server's development certificate is self-signed; the benchmark runs on loopback.
        client = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(certificateVerification: .none))
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    func createRoom() async throws -> String {
        struct Created: Decodable { var roomId: String }
        return try await call(.POST, "/rooms", body: [String: String](), as: Created.self).roomId
    }

    func deleteRoom(_ roomId: String) async {
        _ = try? await send(.DELETE, "/rooms/\(roomId)", body: nil as String?)
    }

    func routerCapabilities(roomId: String) async throws -> RtpCapabilities {
        try await call(.GET, "/rooms/\(roomId)", body: nil as String?, as: RtpCapabilities.self)
    }

    func addBroadcaster(roomId: String, id: String, rtpCapabilities: RtpCapabilities?) async throws {
        struct Body: Encodable {
            var id: String
            var displayName: String
            var device: [String: String]
            var rtpCapabilities: RtpCapabilities?
        }
        _ = try await send(
            .POST, "/rooms/\(roomId)/broadcasters",
            body: Body(id: id, displayName: id, device: ["name": "sfu-bench"], rtpCapabilities: rtpCapabilities))
    }

    func createPlainTransport(roomId: String, broadcasterId: String, comedia: Bool) async throws -> PlainTransport {
        struct Body: Encodable {
            var type = "plain"
            var comedia: Bool
            var rtcpMux = true
            var enableSrtp = true
        }
        return try await call(
            .POST, "/rooms/\(roomId)/broadcasters/\(broadcasterId)/transports", body: Body(comedia: comedia),
            as: PlainTransport.self)
    }

    func connect(
        roomId: String, broadcasterId: String, transportId: String, ip: String?, port: Int?,
        srtpParameters: SrtpParameters
    ) async throws {
        struct Body: Encodable {
            var ip: String?
            var port: Int?
            var srtpParameters: SrtpParameters
        }
        _ = try await send(
            .POST, "/rooms/\(roomId)/broadcasters/\(broadcasterId)/transports/\(transportId)/connect",
            body: Body(ip: ip, port: port, srtpParameters: srtpParameters))
    }

    func produce(
        roomId: String, broadcasterId: String, transportId: String, kind: String, rtpParameters: RtpParameters
    ) async throws -> String {
        struct Body: Encodable {
            var kind: String
            var rtpParameters: RtpParameters
        }
        struct Created: Decodable { var id: String }
        return try await call(
            .POST, "/rooms/\(roomId)/broadcasters/\(broadcasterId)/transports/\(transportId)/producers",
            body: Body(kind: kind, rtpParameters: rtpParameters), as: Created.self
        ).id
    }

    func consume(roomId: String, broadcasterId: String, transportId: String, producerId: String) async throws -> Consumer {
        try await call(
            .POST,
            "/rooms/\(roomId)/broadcasters/\(broadcasterId)/transports/\(transportId)/consume?producerId=\(producerId)",
            body: nil as String?, as: Consumer.self)
    }

    func processSample() async throws -> ProcessSample {
        let text = String(buffer: try await send(.GET, "/metrics", body: nil as String?))
        func value(_ name: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
                .flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        guard let cpu = value("process_cpu_seconds_total"), let resident = value("process_resident_memory_bytes") else {
            throw Failure(description: "the server's /metrics has no process_cpu_seconds_total (SFU_METRICS_ENABLED?)")
        }
        return ProcessSample(cpuSeconds: cpu, residentBytes: resident)
    }

    // MARK: - HTTP

    private func call<Body: Encodable, Answer: Decodable>(
        _ method: HTTPMethod, _ path: String, body: Body?, as: Answer.Type
    ) async throws -> Answer {
        let buffer = try await send(method, path, body: body)
        return try JSONDecoder().decode(Answer.self, from: buffer)
    }

    private func send<Body: Encodable>(_ method: HTTPMethod, _ path: String, body: Body?) async throws -> ByteBuffer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "\(method.rawValue) \(path): \(response.status.code) \(String(buffer: bytes))")
        }
        return bytes
    }
}
