import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import NIOPosix
import Rooms
import XCTest

@testable import Protoo

/// A real media worker pool on loopback behind the protoo route, as `sfu-server serve` wires
/// it; tests talk to it with WebSocket clients.
class ProtooRoomTestCase: XCTestCase {
    static let device = JSONValue.object([
        "flag": .string("chrome"), "name": .string("Chrome"), "version": .string("131.0"),
    ])

    private var pool: MediaWorkerPool!

    /// Media workers (each on its own event loop).
    class var workerCount: Int { 1 }

    override func setUp() async throws {
        pool = try await MediaWorkerPool.start(
            settings: MediaSettings(workerCount: Self.workerCount, listenIP: "127.0.0.1", useWebRtcServer: false))
    }

    override func tearDown() async throws {
        await pool.close()
    }

    /// Runs `test` against a live server with the protoo face of a fresh registry, then closes
    /// every room left open.
    func withProtoo(
        configuration: RoomsConfiguration = RoomsConfiguration(), accessKey: ProtooAccessKey? = nil,
        joinTimeout: Duration = .seconds(10),
        _ test: @escaping @Sendable (_ port: Int, _ registry: RoomRegistry) async throws -> Void
    ) async throws {
        let registry = RoomRegistry(pool: pool, configuration: configuration)
        let router = Router(context: BasicWebSocketRequestContext.self)
        let verifier: ProtooAccessVerifier? = if let accessKey { await ProtooAccessVerifier(key: accessKey) } else { nil }
        ProtooRoute(registry: registry, accessVerifier: verifier, joinTimeout: joinTimeout, requestTimeout: .seconds(5))
            .register(on: router)
        let app = Application(
            router: router, server: .http1WebSocketUpgrade(
                webSocketRouter: router, configuration: ProtooRoute.webSocketConfiguration),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        do {
            try await app.test(.live) { client in
                try await test(try XCTUnwrap(client.port), registry)
            }
            await registry.closeAll()
        } catch {
            await registry.closeAll()
            throw error
        }
    }

    /// A peer that did what the demo client does before producing: loaded the router
    /// capabilities, created a sending and a receiving transport, and joined with the router's
    /// capabilities as its own.
    struct JoinedPeer {
        let client: ProtooTestClient
        let sendTransportId: String
        let recvTransportId: String
        /// The `join` answer's `peers`.
        let peers: JSONValue
    }

    static func joinedPeer(port: Int, roomId: String = "room1", peerId: String, extraQuery: String = "") async throws
        -> JoinedPeer
    {
        let client = try await ProtooTestClient.connect(port: port, roomId: roomId, peerId: peerId, extraQuery: extraQuery)
        let capabilities = try await client.succeed("getRouterRtpCapabilities")
        let send = try await client.succeed(
            "createWebRtcTransport",
            .object(["forceTcp": .bool(false), "producing": .bool(true), "consuming": .bool(false)]))
        let recv = try await client.succeed(
            "createWebRtcTransport",
            .object(["forceTcp": .bool(false), "producing": .bool(false), "consuming": .bool(true)]))
        let joined = try await client.succeed(
            "join",
            .object([
                "displayName": .string("\(peerId) display"), "device": Self.device, "rtpCapabilities": capabilities,
            ]))
        return JoinedPeer(
            client: client, sendTransportId: try XCTUnwrap(send["id"]?.stringValue),
            recvTransportId: try XCTUnwrap(recv["id"]?.stringValue), peers: try XCTUnwrap(joined["peers"]))
    }

    /// The owner pauses and resumes `producerId`: the consumer's peer hears `consumerPaused`
    /// and `consumerResumed` for `consumerId`.
    static func assertPauseAndResumeReach(
        _ consumerPeer: ProtooTestClient, consumerId: String, from owner: ProtooTestClient, producerId: String
    ) async throws {
        let consumer = JSONValue.object(["consumerId": .string(consumerId)])
        let producer = JSONValue.object(["producerId": .string(producerId)])
        _ = try await owner.succeed("pauseProducer", producer)
        let paused = try await consumerPeer.notification("consumerPaused")
        XCTAssertEqual(paused, consumer)
        _ = try await owner.succeed("resumeProducer", producer)
        let resumed = try await consumerPeer.notification("consumerResumed")
        XCTAssertEqual(resumed, consumer)
    }

    /// Produces an opus stream on the peer's sending transport; the producer id.
    static func produceAudio(_ peer: JoinedPeer, ssrc: Int64 = 1111, appData: JSONValue = .emptyObject) async throws -> String {
        let answer = try await peer.client.succeed(
            "produce",
            .object([
                "transportId": .string(peer.sendTransportId), "kind": .string("audio"),
                "rtpParameters": .object([
                    "mid": .string("0"),
                    "codecs": .array([.object([
                        "mimeType": .string("audio/opus"), "payloadType": .integer(111), "clockRate": .integer(48000),
                        "channels": .integer(2),
                    ])]),
                    "encodings": .array([.object(["ssrc": .integer(ssrc)])]),
                ]),
                "appData": appData,
            ]))
        return try XCTUnwrap(answer["id"]?.stringValue)
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }
}
