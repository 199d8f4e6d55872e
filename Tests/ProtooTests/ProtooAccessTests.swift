import Foundation
import JWTKit
import Rooms
import XCTest

@testable import Protoo

final class ProtooAccessTests: ProtooRoomTestCase {
    private static let secret = "a shared secret of the application backend"

    private static func token(
        roomId: String = "room1", peerId: String, expires: Date = Date(timeIntervalSinceNow: 600),
        permissions: [ProtooPermission]? = nil, secret: String = secret
    ) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(
            ProtooAccessClaims(roomId: roomId, peerId: peerId, expires: expires, permissions: permissions))
    }

    func testTokenNamingTheRoomAndPeerAdmitsThePeer() async throws {
        try await withProtoo(accessKey: try ProtooAccessKey(secret: Self.secret)) { port, _ in
            let token = try await Self.token(peerId: "alice")
            let alice = try await ProtooTestClient.connect(port: port, peerId: "alice", token: token)
            _ = try await alice.notification("mediasoup-version")
            _ = try await alice.succeed("join", .object(["displayName": .string("A"), "device": Self.device]))
            try await alice.close()
        }
    }

    func testMissingForgedExpiredOrMisaddressedTokensCloseThePeerWithTheReason() async throws {
        try await withProtoo(accessKey: try ProtooAccessKey(secret: Self.secret)) { port, registry in
            let cases: [(String?, String)] = [
                (nil, "an access token is required: connect with ?token=<JWT>"),
                ("not-a-jwt", "access token is not a valid JWT with roomId, peerId and exp claims"),
                (try await Self.token(peerId: "bob", secret: "another secret, just as long as the real one"), "access token signature is not valid"),
                (try await Self.token(peerId: "bob", expires: Date(timeIntervalSinceNow: -60)), "access token expired"),
                (try await Self.token(roomId: "room2", peerId: "bob"), "access token is for room \"room2\", not \"room1\""),
                (try await Self.token(peerId: "mallory"), "access token is for peer \"mallory\", not \"bob\""),
            ]
            for (token, reason) in cases {
                let target = "/?roomId=room1&peerId=bob" + (token.map { "&token=\($0)" } ?? "")
                let close = try await HTTPHandshake.closeFrameAfterUpgrade(port: port, target: target)
                XCTAssertEqual(close.code, 4000)
                XCTAssertEqual(close.reason, reason)
            }
            let rooms = await registry.summaries()
            XCTAssertEqual(rooms, [], "a refused peer must not create its room")
        }
    }

    func testARefusedConnectionDoesNotTakeThePlaceOfThePeerItNames() async throws {
        try await withProtoo(accessKey: try ProtooAccessKey(secret: Self.secret)) { port, _ in
            let alice = try await ProtooTestClient.connect(port: port, peerId: "alice", token: try await Self.token(peerId: "alice"))
            _ = try await alice.notification("mediasoup-version")
            _ = try await alice.succeed("join", .object(["displayName": .string("A"), "device": Self.device]))
            let close = try await HTTPHandshake.closeFrameAfterUpgrade(port: port, target: "/?roomId=room1&peerId=alice")
            XCTAssertEqual(close.reason, "an access token is required: connect with ?token=<JWT>")
            _ = try await alice.succeed("getRouterRtpCapabilities")
            try await alice.close()
        }
    }

    func testAReasonTooLongForACloseFrameIsCut() async throws {
        try await withProtoo(accessKey: try ProtooAccessKey(secret: Self.secret)) { port, _ in
            let longPeerId = String(repeating: "é", count: 100)
            let target = "/?roomId=room1&peerId=bob&token=" + (try await Self.token(peerId: longPeerId))
            let close = try await HTTPHandshake.closeFrameAfterUpgrade(port: port, target: target)
            XCTAssertEqual(close.code, 4000)
            XCTAssertLessThanOrEqual(close.reason.utf8.count, 123)
            XCTAssertTrue(close.reason.hasPrefix("access token is for peer \"éé"), close.reason)
        }
    }

    private static let sctpCapabilities = JSONValue.object([
        "numStreams": .object(["OS": .integer(1024), "MIS": .integer(1024)])
    ])

    func testPermissionsDecideWhatThePeerMayDo() async throws {
        try await withProtoo(accessKey: try ProtooAccessKey(secret: Self.secret)) { port, _ in
            let publisher = try await ProtooTestClient.connect(
                port: port, peerId: "alice", token: try await Self.token(peerId: "alice", permissions: [.publish]))
            let capabilities = try await publisher.succeed("getRouterRtpCapabilities")
            let receiving = try await publisher.request(
                "createWebRtcTransport", .object(["producing": .bool(false), "consuming": .bool(true)]))
            XCTAssertEqual(receiving, .failure(ProtooError(
                code: 403,
                reason: "createWebRtcTransport needs the \"subscribe\" permission, which the access token does not grant")))
            let dataProducer = try await publisher.request("produceData", .emptyObject)
            XCTAssertEqual(dataProducer, .failure(ProtooError(
                code: 403, reason: "produceData needs the \"data\" permission, which the access token does not grant")))

            let viewer = try await ProtooTestClient.connect(
                port: port, peerId: "bob", token: try await Self.token(peerId: "bob", permissions: [.subscribe]))
            let sending = try await viewer.request(
                "createWebRtcTransport", .object(["producing": .bool(true), "consuming": .bool(false)]))
            XCTAssertEqual(sending, .failure(ProtooError(
                code: 403,
                reason: "createWebRtcTransport needs the \"publish\" permission, which the access token does not grant")))
            let produce = try await viewer.request("produce", .emptyObject)
            XCTAssertEqual(produce, .failure(ProtooError(
                code: 403, reason: "produce needs the \"publish\" permission, which the access token does not grant")))
            // SCTP capabilities without `data` make a transport without SCTP, not a refusal.
            let viewerTransport = try await viewer.succeed(
                "createWebRtcTransport",
                .object(["producing": .bool(false), "consuming": .bool(true), "sctpCapabilities": Self.sctpCapabilities]))
            XCTAssertNotNil(viewerTransport["iceParameters"])
            XCTAssertNil(viewerTransport["sctpParameters"], "the transport has SCTP without the data permission")
            _ = try await viewer.succeed(
                "join", .object(["displayName": .string("B"), "device": Self.device, "rtpCapabilities": capabilities]))

            // The publisher joins with capabilities it may not use: it produces, the viewer
            // consumes, and nothing is offered back to the publisher.
            let send = try await publisher.succeed(
                "createWebRtcTransport", .object(["producing": .bool(true), "consuming": .bool(false)]))
            _ = try await publisher.succeed(
                "join", .object(["displayName": .string("A"), "device": Self.device, "rtpCapabilities": capabilities]))
            let peer = JoinedPeer(
                client: publisher, sendTransportId: try XCTUnwrap(send["id"]?.stringValue), recvTransportId: "",
                peers: .array([]))
            let producerId = try await Self.produceAudio(peer)
            let offer = try await viewer.serverRequest("newConsumer")
            XCTAssertEqual(offer.data["producerId"]?.stringValue, producerId)
            try await viewer.respond(to: offer, .success(.emptyObject))
            try await publisher.close()
            try await viewer.close()
        }
    }

    func testPublicKeyTokensAreCheckedWithTheIssuersKey() async throws {
        let issuer = ES256PrivateKey()
        let accessKey = try ProtooAccessKey(publicKeyPEM: issuer.publicKey.pemRepresentation)
        XCTAssertThrowsError(try ProtooAccessKey(secret: "short"))
        XCTAssertThrowsError(try ProtooAccessKey(publicKeyPEM: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
        try await withProtoo(accessKey: accessKey) { port, _ in
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: issuer)
            let token = try await keys.sign(
                ProtooAccessClaims(roomId: "room1", peerId: "alice", expires: Date(timeIntervalSinceNow: 60)))
            let alice = try await ProtooTestClient.connect(port: port, peerId: "alice", token: token)
            _ = try await alice.succeed("getRouterRtpCapabilities")
            try await alice.close()

            let forged = try await Self.token(peerId: "alice", secret: "a guess at the secret that is long enough")
            let close = try await HTTPHandshake.closeFrameAfterUpgrade(
                port: port, target: "/?roomId=room1&peerId=alice&token=\(forged)")
            XCTAssertEqual(close.code, 4000)
        }
    }

    func testPeerThatDoesNotJoinInTimeIsClosed() async throws {
        try await withProtoo(joinTimeout: .milliseconds(300)) { port, registry in
            let idle = try await ProtooTestClient.connect(port: port, peerId: "idle")
            let joined = try await ProtooTestClient.connect(port: port, peerId: "joined")
            _ = try await joined.succeed("join", .object(["displayName": .string("J"), "device": Self.device]))
            let close = try await idle.closed()
            XCTAssertEqual(close?.closeCode, .unknown(4000))
            try await Task.sleep(for: .milliseconds(200))
            _ = try await joined.succeed("getRouterRtpCapabilities")
            let peerCount = await registry.existingRoom(id: "room1")?.participantCount
            XCTAssertEqual(peerCount, 1)
            try await joined.close()
        }
    }
}
