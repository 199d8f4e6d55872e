import Foundation
import HummingbirdTesting
import NIOCore
import Rooms
import XCTest

/// `/rooms`, `/rooms/:roomId` and `/getRoomId` against a real worker pool.
final class RoomRoutesTests: RoomAPITestCase {
    func testCreateRoomWithIdAnswersCreatedWithWebSocketURL() async throws {
        try await withAPI { client in
            let response = try await client.send(.post, "/rooms/lobby", json: #"{"maxPeerCount": 4}"#)
            XCTAssertEqual(response.status, .created)
            XCTAssertEqual(response.headers[.contentType], "application/json")
            let body = try response.jsonObject()
            XCTAssertEqual(body["roomId"] as? String, "lobby")
            XCTAssertEqual(body["wsUrl"] as? String, RoomAPITestCase.webSocketURL)
            XCTAssertEqual(body["protocol"] as? String, "2060-mediasoup-v1")
            XCTAssertEqual(body.count, 3)

            let listing = try await client.send(.get, "/rooms").jsonArray()
            let room = try XCTUnwrap(listing.first as? [String: Any])
            XCTAssertEqual(room["maxPeerCount"] as? Int, 4)
        }
    }

    func testCreateRoomWithoutIdGeneratesEightCharacterId() async throws {
        try await withAPI { client in
            let response = try await client.send(.post, "/rooms")
            XCTAssertEqual(response.status, .created)
            let roomId = try XCTUnwrap(response.jsonObject()["roomId"] as? String)
            XCTAssertEqual(roomId.count, 8)
            let listing = try await client.send(.get, "/rooms").jsonArray()
            XCTAssertEqual(listing.compactMap { ($0 as? [String: Any])?["roomId"] as? String }, [roomId])
        }
    }

    func testCreateRoomAcceptsAnEventNotificationUri() async throws {
        try await withAPI { client in
            let response = try await client.send(
                .post, "/rooms/hooked", json: #"{"eventNotificationUri": "http://127.0.0.1:9/events"}"#)
            XCTAssertEqual(response.status, .created, String(buffer: response.body))
        }
    }

    /// The room's second router is checked through protoo (ProtooPipeTransportTests); here, that
    /// the REST face takes the option and the room works.
    func testCreateRoomTakesUsePipeTransports() async throws {
        try await withAPI { client in
            XCTAssertStatus(
                try await client.send(.post, "/rooms/piped", json: #"{"usePipeTransports": true}"#), .created)
            XCTAssertStatus(try await client.addBroadcaster("b", to: "piped"), .ok)
            let listing = try await client.send(.get, "/rooms").jsonArray()
            XCTAssertEqual(listing.compactMap { ($0 as? [String: Any])?["roomId"] as? String }, ["piped"])
        }
    }

    func testCreatingAnExistingRoomIsAConflict() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.send(.post, "/rooms/taken"), .created)
            let second = try await client.send(.post, "/rooms/taken")
            XCTAssertJSONError(second, .conflict, #"room with id "taken" already exists"#)
        }
    }

    func testCreateRoomValidatesItsBody() async throws {
        try await withAPI { client in
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/a", json: #"{"maxPeerCount": 0}"#), .badRequest,
                "body.maxPeerCount")
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/a", json: #"{"maxPeerCount": "many"}"#), .badRequest,
                "invalid body.maxPeerCount: expected a number")
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/a", json: #"{"eventNotificationUri": "ftp://host/x"}"#),
                .badRequest, "invalid body.eventNotificationUri: expected an http(s) URL")
            XCTAssertJSONError(
                try await client.send(
                    .post, "/rooms/a", json: #"{"eventNotificationUri": "http://h/\#(String(repeating: "x", count: 2048))"}"#),
                .badRequest, "invalid body.eventNotificationUri: longer than 2048 bytes")
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/a", json: #"{"usePipeTransports": "yes"}"#), .badRequest,
                "invalid body.usePipeTransports: expected a boolean")
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/a", json: #"{"maxPeerCount": 2"#), .badRequest,
                "request body is not valid JSON")
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/a", json: #"{"maxPeerCount": 1e30}"#), .badRequest,
                "a number is negative, fractional or too large for its field")
            let listing = try await client.send(.get, "/rooms").jsonArray()
            XCTAssertTrue(listing.isEmpty, "a refused request created a room")
        }
    }

    func testInvalidRoomIdIsABadRequest() async throws {
        try await withAPI { client in
            let longId = String(repeating: "r", count: 129)
            XCTAssertJSONError(try await client.send(.post, "/rooms/\(longId)"), .badRequest, "invalid roomId")
            XCTAssertJSONError(try await client.send(.get, "/rooms/a%0Ab"), .badRequest, "invalid roomId")
            let spaced = try await client.send(.get, "/rooms/team%20room")
            XCTAssertEqual(spaced.status, .ok, "mediasoup-demo takes any text")
            let listing = try await client.send(.get, "/rooms").jsonArray()
            XCTAssertEqual(listing.compactMap { ($0 as? [String: Any])?["roomId"] as? String }, ["team room"], "decoded, as Express does")
        }
    }

    func testNewRoomsAreRefusedWhileDraining() async throws {
        try await withAPI(configuration: RoomsConfiguration(acceptsNewSessions: { false })) { client in
            XCTAssertJSONError(try await client.send(.post, "/rooms/late"), .serviceUnavailable, "draining")
        }
    }

    func testGetRoomAnswersRouterCapabilitiesAndCreatesTheRoom() async throws {
        try await withAPI { client in
            let response = try await client.send(.get, "/rooms/auto")
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.contentType], "application/json")
            let capabilities = try response.jsonObject()
            let codecs = try XCTUnwrap(capabilities["codecs"] as? [[String: Any]])
            let opus = try XCTUnwrap(codecs.first { $0["mimeType"] as? String == "audio/opus" })
            XCTAssertEqual(opus["preferredPayloadType"] as? Int, 100)
            XCTAssertEqual(opus["kind"] as? String, "audio")
            XCTAssertEqual(opus["clockRate"] as? Int, 48000)
            XCTAssertEqual(opus["channels"] as? Int, 2)
            let vp8 = try XCTUnwrap(codecs.first { $0["mimeType"] as? String == "video/VP8" })
            XCTAssertEqual(vp8["preferredPayloadType"] as? Int, 101)
            let rtx = try XCTUnwrap(
                codecs.first { ($0["parameters"] as? [String: Any])?["apt"] as? Int == 101 })
            XCTAssertEqual(rtx["mimeType"] as? String, "video/rtx")
            XCTAssertEqual(rtx["preferredPayloadType"] as? Int, 102)
            let extensions = try XCTUnwrap(capabilities["headerExtensions"] as? [[String: Any]])
            XCTAssertTrue(extensions.contains { $0["uri"] as? String == "urn:ietf:params:rtp-hdrext:sdes:mid" })

            let listing = try await client.send(.get, "/rooms").jsonArray()
            let room = try XCTUnwrap(listing.first as? [String: Any])
            XCTAssertEqual(room["roomId"] as? String, "auto")
            XCTAssertEqual(room["peerCount"] as? Int, 0)
        }
    }

    func testGetMissingRoomIsNotFoundWithoutAutoCreation() async throws {
        try await withAPI(configuration: RoomsConfiguration(autoCreateRooms: false)) { client in
            XCTAssertJSONError(try await client.send(.get, "/rooms/ghost"), .notFound, #"room with id "ghost" not found"#)
            XCTAssertStatus(try await client.send(.post, "/rooms/ghost"), .created)
            XCTAssertStatus(try await client.send(.get, "/rooms/ghost"), .ok)
        }
    }

    func testListRoomsCountsPeers() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.send(.post, "/rooms/b"), .created)
            XCTAssertStatus(try await client.send(.post, "/rooms/a", json: #"{"maxPeerCount": 3}"#), .created)
            XCTAssertStatus(try await client.addBroadcaster("one", to: "a"), .ok)
            XCTAssertStatus(try await client.addBroadcaster("two", to: "a"), .ok)
            let response = try await client.send(.get, "/rooms")
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.contentType], "application/json")
            let rooms = try JSONDecoder().decode([RoomSummary].self, from: Data(response.body.readableBytesView))
            XCTAssertEqual(rooms.map(\.roomId), ["a", "b"])
            XCTAssertEqual(rooms.map(\.peerCount), [2, 0])
            XCTAssertEqual(rooms.map(\.maxPeerCount), [3, nil])
        }
    }

    func testDeleteRoomClosesItAndItsBroadcasters() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.send(.post, "/rooms/short"), .created)
            XCTAssertStatus(try await client.addBroadcaster("cam", to: "short"), .ok)
            let response = try await client.send(.delete, "/rooms/short")
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.contentType], "application/json")
            XCTAssertEqual(try response.jsonObject()["message"] as? String, "room closed")
            let remaining = try await client.send(.get, "/rooms").jsonArray()
            XCTAssertTrue(remaining.isEmpty)
            XCTAssertJSONError(
                try await client.send(.delete, "/rooms/short"), .notFound, #"room with id "short" not found"#)
        }
    }

    func testGetRoomIdCreatesARoomForOldClients() async throws {
        try await withAPI { client in
            let response = try await client.send(.get, "/getRoomId")
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.contentType], "application/json")
            let body = try response.jsonObject()
            let roomId = try XCTUnwrap(body["roomId"] as? String)
            XCTAssertEqual(roomId.count, 8)
            XCTAssertEqual(body["wsUrl"] as? String, "\(RoomAPITestCase.webSocketURL)?roomId=\(roomId)&peerId=")
            XCTAssertEqual(body["status"] as? Int, 1)
            let listing = try await client.send(.get, "/rooms").jsonArray()
            XCTAssertEqual(listing.compactMap { ($0 as? [String: Any])?["roomId"] as? String }, [roomId])
        }
    }

    func testOversizedBodyIsRefusedWith413() async throws {
        try await withAPI { client in
            let padding = String(repeating: "x", count: 300 * 1024)
            let response = try await client.send(.post, "/rooms/big", json: #"{"eventNotificationUri": "\#(padding)"}"#)
            XCTAssertJSONError(response, .contentTooLarge, "262144 bytes")
            let listing = try await client.send(.get, "/rooms").jsonArray()
            XCTAssertTrue(listing.isEmpty)
        }
    }
}
