import Foundation
import Hummingbird
import Rooms
import SFU

/// The REST API of rooms and broadcasters, as mediasoup-demo and 2060-io's server answer it, so
/// their ffmpeg/GStreamer scripts and backends work unchanged. Errors are JSON
/// `{"error": "..."}` with 400/404/409/413/422/501 instead of the anchors' blanket 500.
/// `GET /openapi.json` serves the ``OpenAPIDocument`` describing all of it.
public struct RoomRoutes: Sendable {
    let registry: RoomRegistry
    /// The protoo WebSocket URL handed out with new rooms (`wss://host:port`).
    let webSocketURL: String

    public init(registry: RoomRegistry, webSocketURL: String) {
        self.registry = registry
        self.webSocketURL = webSocketURL
    }

    public func register<Context: RequestContext>(on router: Hummingbird.Router<Context>) {
        router.get("rooms") { _, _ in try JSONBody.response(await registry.summaries()) }
        router.post("rooms") { request, _ in try await createRoom(id: nil, request: request) }
        router.post("rooms/:roomId") { request, context in
            try await createRoom(id: try context.parameters.requireDecoded("roomId"), request: request)
        }
        // 2060-io's load balancer probes this; without the route it would name a room "health".
        router.get("rooms/health") { _, _ in try JSONBody.response(["status": "ok"]) }
        router.get("rooms/:roomId") { _, context in
            let roomId = try context.parameters.requireDecoded("roomId")
            let room = try await roomCall { () throws(RoomError) in try await registry.room(id: roomId, create: true) }
            return try JSONBody.response(room.rtpCapabilities)
        }
        router.delete("rooms/:roomId") { _, context in
            let roomId = try context.parameters.requireDecoded("roomId")
            try await roomCall { () throws(RoomError) in try await registry.closeRoom(id: roomId) }
            return try JSONBody.response(["message": "room closed"])
        }
        // Deprecated 2060-io endpoint, kept for old clients: they append their peerId to wsUrl.
        router.get("getRoomId") { _, _ in
            let room = try await roomCall { () throws(RoomError) in
                try await registry.createRoom(id: nil, options: RoomOptions())
            }
            return try JSONBody.response(
                LegacyRoomId(roomId: room.id, wsUrl: "\(webSocketURL)?roomId=\(URLText.queryValue(room.id))&peerId=", status: 1))
        }
        BroadcasterRoutes(registry: registry).register(on: router)
        router.get("openapi.json") { _, _ in OpenAPIDocument.response }
    }

    private func createRoom(id: String?, request: Request) async throws -> Response {
        let body = try await JSONBody.decode(CreateRoomBody.self, from: request)
        var uri: URL?
        if let text = body.eventNotificationUri {
            // Logged with every failed delivery: a URL longer than browsers take is refused.
            guard text.utf8.count <= 2048 else {
                throw HTTPError(.badRequest, message: "invalid body.eventNotificationUri: longer than 2048 bytes")
            }
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                url.host != nil
            else {
                throw HTTPError(.badRequest, message: "invalid body.eventNotificationUri: expected an http(s) URL")
            }
            uri = url
        }
        if let maxPeerCount = body.maxPeerCount, maxPeerCount < 1 {
            throw HTTPError(.badRequest, message: "invalid body.maxPeerCount: must be at least 1")
        }
        let options = RoomOptions(
            eventNotificationUri: uri, maxPeerCount: body.maxPeerCount, usePipeTransports: body.usePipeTransports ?? false)
        let room = try await roomCall { () throws(RoomError) in try await registry.createRoom(id: id, options: options) }
        return try JSONBody.response(
            CreatedRoom(roomId: room.id, wsUrl: webSocketURL, protocol_: "2060-mediasoup-v1"), status: .created)
    }
}
