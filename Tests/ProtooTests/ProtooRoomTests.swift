import Rooms
import SFU
import XCTest

@testable import Protoo

/// mediasoup-demo v3's protoo methods against real rooms and media workers.
final class ProtooRoomTests: ProtooRoomTestCase {
    func testAcceptedPeerHearsMediasoupVersionAndGetsRouterCapabilities() async throws {
        try await withProtoo { port, _ in
            let client = try await ProtooTestClient.connect(port: port, peerId: "alice")
            let version = try await client.notification("mediasoup-version")
            XCTAssertEqual(version, .object(["version": .string(ProtooRoute.mediasoupVersion)]))
            let capabilities = try await client.succeed("getRouterRtpCapabilities")
            let mimeTypes = capabilities["codecs"]?.arrayValue?.compactMap { $0["mimeType"]?.stringValue }
            XCTAssertEqual(mimeTypes?.first, "audio/opus")
            XCTAssertTrue(mimeTypes?.contains("video/VP8") == true)
            XCTAssertNotNil(capabilities["headerExtensions"]?.arrayValue)
            // The same capabilities, where the TypeScript demo reads them.
            XCTAssertEqual(capabilities["routerRtpCapabilities"]?["codecs"], capabilities["codecs"])
            XCTAssertEqual(capabilities["routerRtpCapabilities"]?["headerExtensions"], capabilities["headerExtensions"])
            try await client.close()
        }
    }

    func testOnlyADirectionWithoutProducingOrConsumingMakesATypeScriptDemoPeer() async throws {
        try await withProtoo { port, _ in
            let classic = try await ProtooTestClient.connect(port: port, peerId: "classic")
            let own = try await classic.succeed(
                "createWebRtcTransport",
                .object([
                    "producing": .bool(true), "consuming": .bool(false),
                    "appData": .object(["direction": .string("producer")]),
                ]))
            XCTAssertNotNil(own["id"]?.stringValue, "an app's own appData leaves it classic")
            XCTAssertNil(own["transportId"])
            for appData: JSONValue in [.string("x"), .array([.integer(1)]), .object(["direction": .integer(5)])] {
                let other = try await classic.succeed(
                    "createWebRtcTransport", .object(["producing": .bool(false), "consuming": .bool(true), "appData": appData]))
                XCTAssertNotNil(other["id"]?.stringValue, "appData of any shape is the app's own")
            }

            let typescript = try await ProtooTestClient.connect(port: port, peerId: "typescript")
            let transport = try await typescript.succeed(
                "createWebRtcTransport", .object(["appData": .object(["direction": .string("consumer")])]))
            XCTAssertNotNil(transport["transportId"]?.stringValue)
            XCTAssertNil(transport["id"])
            let stats = try await typescript.succeed(
                "getTransportStats", .object(["transportId": transport["transportId"] ?? .null]))
            XCTAssertEqual(stats["stats"]?.arrayValue?.count, 1)
            try await classic.close()
            try await typescript.close()
        }
    }

    func testCreateWebRtcTransportAnswersWhatMediasoupClientNeeds() async throws {
        try await withProtoo { port, _ in
            let client = try await ProtooTestClient.connect(port: port, peerId: "alice")
            let transport = try await client.succeed(
                "createWebRtcTransport",
                .object([
                    "forceTcp": .bool(false), "producing": .bool(true), "consuming": .bool(false),
                    "sctpCapabilities": .object(["numStreams": .object(["OS": .integer(1024), "MIS": .integer(1024)])]),
                ]))
            XCTAssertNotNil(transport["id"]?.stringValue)
            XCTAssertNotNil(transport["iceParameters"]?["usernameFragment"]?.stringValue)
            XCTAssertFalse(transport["iceCandidates"]?.arrayValue?.isEmpty ?? true)
            XCTAssertNotNil(transport["dtlsParameters"]?["fingerprints"]?.arrayValue)
            XCTAssertEqual(transport["iceServers"], .array([]))
            XCTAssertEqual(transport["sctpParameters"]?["port"], .integer(5000))
            XCTAssertEqual(transport["sctpParameters"]?["maxMessageSize"], .integer(262_144))
            try await client.close()
        }
    }

    func testForceTcpOffersOnlyTcpCandidates() async throws {
        try await withProtoo { port, _ in
            let client = try await ProtooTestClient.connect(port: port, peerId: "alice")
            let transport = try await client.succeed(
                "createWebRtcTransport", .object(["forceTcp": .bool(true), "producing": .bool(true)]))
            let protocols = try XCTUnwrap(transport["iceCandidates"]?.arrayValue).map { $0["protocol"] }
            XCTAssertFalse(protocols.isEmpty)
            XCTAssertEqual(Set(protocols), [.string("tcp")])
            try await client.close()
        }
    }

    func testJoinListsJoinedPeersWithProducersAndTellsThemNewPeerBeforeTheirNewConsumer() async throws {
        try await withProtoo { port, _ in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            XCTAssertEqual(alice.peers, .array([]))
            let aliceProducer = try await Self.produceAudio(alice, appData: .object(["share": .bool(false)]))

            let bob = try await Self.joinedPeer(port: port, peerId: "bob")
            let listed = try XCTUnwrap(bob.peers.arrayValue)
            XCTAssertEqual(listed.count, 1)
            XCTAssertEqual(listed.first?["id"], .string("alice"))
            XCTAssertEqual(listed.first?["displayName"], .string("alice display"))
            XCTAssertEqual(listed.first?["device"]?["flag"], .string("chrome"))
            XCTAssertEqual(listed.first?["producers"], .array([.object(["id": .string(aliceProducer), "kind": .string("audio")])]))

            // Bob is offered Alice's producer, after the join answer.
            let offer = try await bob.client.serverRequest("newConsumer")
            XCTAssertEqual(offer.data["peerId"], .string("alice"))
            XCTAssertEqual(offer.data["producerId"], .string(aliceProducer))
            XCTAssertEqual(offer.data["kind"], .string("audio"))
            XCTAssertEqual(offer.data["type"], .string("simple"))
            XCTAssertEqual(offer.data["producerPaused"], .bool(false))
            XCTAssertEqual(offer.data["appData"], .object(["share": .bool(false), "peerId": .string("alice")]))
            XCTAssertNotNil(offer.data["rtpParameters"]?["codecs"]?.arrayValue?.first)
            let bobArrivals = await bob.client.arrivals
            let joinAnswer = try XCTUnwrap(bobArrivals.firstIndex(of: "response:4"), "\(bobArrivals)")
            let newConsumer = try XCTUnwrap(bobArrivals.firstIndex(of: "request:newConsumer"))
            XCTAssertLessThan(joinAnswer, newConsumer, "the join answer precedes the newConsumer requests")

            // Alice hears about Bob before being offered Bob's producer.
            let newPeer = try await alice.client.notification("newPeer")
            XCTAssertEqual(newPeer, .object(["id": .string("bob"), "displayName": .string("bob display"), "device": Self.device]))
            let bobProducer = try await Self.produceAudio(bob, ssrc: 2222)
            let aliceOffer = try await alice.client.serverRequest("newConsumer")
            XCTAssertEqual(aliceOffer.data["peerId"], .string("bob"))
            XCTAssertEqual(aliceOffer.data["producerId"], .string(bobProducer))
            let aliceArrivals = await alice.client.arrivals
            XCTAssertLessThan(
                try XCTUnwrap(aliceArrivals.firstIndex(of: "notification:newPeer")),
                try XCTUnwrap(aliceArrivals.firstIndex(of: "request:newConsumer")))
            try await alice.client.close()
            try await bob.client.close()
        }
    }

    func testAcceptedConsumerIsResumedAndFollowsItsProducer() async throws {
        try await withProtoo { port, _ in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let bob = try await Self.joinedPeer(port: port, peerId: "bob")
            let producerId = try await Self.produceAudio(alice)
            let offer = try await bob.client.serverRequest("newConsumer")
            let consumerId = try XCTUnwrap(offer.data["id"]?.stringValue)
            try await bob.client.respond(to: offer, .success(.emptyObject))

            let score = try await bob.client.notification("consumerScore")
            XCTAssertEqual(score["consumerId"], .string(consumerId))
            XCTAssertNotNil(score["score"]?["producerScores"]?.arrayValue)

            let consumer = JSONValue.object(["consumerId": .string(consumerId)])
            for method in ["pauseConsumer", "resumeConsumer", "requestConsumerKeyFrame"] {
                let answer = try await bob.client.request(method, consumer)
                XCTAssertEqual(answer, .success(.emptyObject), method)
            }
            let priority = try await bob.client.request(
                "setConsumerPriority", .object(["consumerId": .string(consumerId), "priority": .integer(10)]))
            XCTAssertEqual(priority, .success(.emptyObject))
            let layers = try await bob.client.request(
                "setConsumerPreferredLayers", .object(["consumerId": .string(consumerId), "spatialLayer": .integer(0)]))
            XCTAssertEqual(layers, .success(.emptyObject))
            let consumerStats = try await bob.client.succeed("getConsumerStats", consumer)
            XCTAssertFalse(consumerStats.arrayValue?.isEmpty ?? true)

            let producer = JSONValue.object(["producerId": .string(producerId)])
            try await Self.assertPauseAndResumeReach(
                bob.client, consumerId: consumerId, from: alice.client, producerId: producerId)
            let producerStats = try await alice.client.succeed("getProducerStats", producer)
            XCTAssertNotNil(producerStats.arrayValue)

            _ = try await alice.client.succeed("closeProducer", producer)
            let closed = try await bob.client.notification("consumerClosed")
            XCTAssertEqual(closed, consumer)
            let gone = try await bob.client.request("pauseConsumer", consumer)
            XCTAssertEqual(gone, .failure(ProtooError(reason: "consumer with id \"\(consumerId)\" not found")))
            try await alice.client.close()
            try await bob.client.close()
        }
    }

    func testRefusedConsumerIsClosed() async throws {
        try await withProtoo { port, _ in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let bob = try await Self.joinedPeer(port: port, peerId: "bob")
            _ = try await Self.produceAudio(alice)
            let offer = try await bob.client.serverRequest("newConsumer")
            let consumerId = try XCTUnwrap(offer.data["id"]?.stringValue)
            let consumer = JSONValue.object(["consumerId": .string(consumerId)])
            try await bob.client.respond(to: offer, .failure(ProtooError(code: 403, reason: "not interested")))
            // The server closes the consumer once it has read the refusal; ask until it has.
            let notFound = ProtooResponse.Outcome.failure(ProtooError(reason: "consumer with id \"\(consumerId)\" not found"))
            var outcome = try await bob.client.request("getConsumerStats", consumer)
            for _ in 0..<100 where outcome != notFound {
                outcome = try await bob.client.request("getConsumerStats", consumer)
            }
            XCTAssertEqual(outcome, notFound)
            try await alice.client.close()
            try await bob.client.close()
        }
    }

    func testConsumerReplicasOfferCopiesOfEveryConsumer() async throws {
        try await withProtoo { port, _ in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let bob = try await Self.joinedPeer(port: port, peerId: "bob", extraQuery: "&consumerReplicas=2")
            let producerId = try await Self.produceAudio(alice)
            var consumerIds: Set<String> = []
            for _ in 0..<3 {
                let offer = try await bob.client.serverRequest("newConsumer")
                XCTAssertEqual(offer.data["producerId"], .string(producerId))
                consumerIds.insert(try XCTUnwrap(offer.data["id"]?.stringValue))
                XCTAssertNotNil(offer.data["rtpParameters"]?["mid"]?.stringValue)
                try await bob.client.respond(to: offer, .success(.emptyObject))
            }
            XCTAssertEqual(consumerIds.count, 3, "replicas are distinct consumers")
            var scored: Set<String> = []
            for _ in 0..<3 {
                let score = try await bob.client.notification("consumerScore")
                scored.insert(try XCTUnwrap(score["consumerId"]?.stringValue))
            }
            XCTAssertEqual(scored, consumerIds, "every replica was resumed")
            // Alice asked for none: Bob's producer reaches her once.
            let bobProducer = try await Self.produceAudio(bob, ssrc: 2222)
            let offer = try await alice.client.serverRequest("newConsumer")
            XCTAssertEqual(offer.data["producerId"], .string(bobProducer))
            try await alice.client.respond(to: offer, .success(.emptyObject))
            _ = try await alice.client.notification("consumerScore")
            let copies = await alice.client.pending.filter { message in
                if case .request(let request) = message { return request.method == "newConsumer" }
                return false
            }
            XCTAssertEqual(copies.count, 0, "a peer without consumerReplicas got a copy")
            try await alice.client.close()
            try await bob.client.close()
        }
    }

    func testTransportMethodsAnswerMediasoupShapes() async throws {
        try await withProtoo { port, _ in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let transport = JSONValue.object(["transportId": .string(alice.sendTransportId)])
            let stats = try await alice.client.succeed("getTransportStats", transport)
            XCTAssertEqual(stats.arrayValue?.count, 1)
            let ice = try await alice.client.succeed("restartIce", transport)
            XCTAssertNotNil(ice["usernameFragment"]?.stringValue)
            XCTAssertNotNil(ice["password"]?.stringValue)
            let connected = try await alice.client.request(
                "connectWebRtcTransport",
                .object([
                    "transportId": .string(alice.sendTransportId),
                    "dtlsParameters": .object([
                        "role": .string("client"),
                        "fingerprints": .array([.object([
                            "algorithm": .string("sha-256"),
                            "value": .string(Array(repeating: "AB", count: 32).joined(separator: ":")),
                        ])]),
                    ]),
                ]))
            XCTAssertEqual(connected, .success(.emptyObject))
            try await alice.client.close()
        }
    }

    func testChangeDisplayNameIsNotifiedToOthers() async throws {
        try await withProtoo { port, _ in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let bob = try await Self.joinedPeer(port: port, peerId: "bob")
            _ = try await bob.client.succeed("changeDisplayName", .object(["displayName": .string("Robert")]))
            let changed = try await alice.client.notification("peerDisplayNameChanged")
            XCTAssertEqual(
                changed,
                .object([
                    "peerId": .string("bob"), "displayName": .string("Robert"), "oldDisplayName": .string("bob display"),
                ]))
            try await alice.client.close()
            try await bob.client.close()
        }
    }

    func testAJoiningPeersDeviceReachesTheOthersAsItWasSent() async throws {
        try await withProtoo { port, _ in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let bob = try await ProtooTestClient.connect(port: port, roomId: "room1", peerId: "bob")
            let device = JSONValue.object(["version": .integer(3), "os": .string("linux"), "flag": .string("bot")])
            _ = try await bob.succeed("join", .object(["displayName": .string("Bob"), "device": device]))
            let newPeer = try await alice.client.notification("newPeer")
            XCTAssertEqual(newPeer["device"], device, "mediasoup-demo relays device unchanged, with or without a name")
            try await alice.client.close()
            try await bob.close()
        }
    }

    func testRefusalsNameTheProblemAndKeepThePeerConnected() async throws {
        try await withProtoo { port, _ in
            let client = try await ProtooTestClient.connect(port: port, peerId: "alice")
            let cases: [(String, JSONValue, String)] = [
                ("produce", .object([:]), "invalid data for \"produce\": missing field \"transportId\""),
                (
                    "produce",
                    .object(["transportId": .string("t"), "kind": .string("audio"), "rtpParameters": .object(["codecs": .array([])])]),
                    "Peer not yet joined"
                ),
                ("leaveRoom", .emptyObject, "Peer not joined"),
                ("changeDisplayName", .object(["displayName": .string("x")]), "Peer not yet joined"),
                ("connectWebRtcTransport", .object(["transportId": .integer(5)]), "invalid data for \"connectWebRtcTransport\": field \"transportId\": Expected to decode String but found number instead."),
                ("restartIce", .object(["transportId": .string("nope")]), "transport with id \"nope\" not found"),
                ("getTransportStats", .object(["transportId": .string("nope")]), "transport with id \"nope\" not found"),
                ("getProducerStats", .object(["producerId": .string("nope")]), "producer with id \"nope\" not found"),
                ("produceData", .emptyObject, "invalid data for \"produceData\": missing field \"transportId\""),
                (
                    "setConsumerPriority", .object(["consumerId": .string("c"), "priority": .number(1.5)]),
                    "invalid data for \"setConsumerPriority\": a number is negative, fractional or too large for its field"
                ),
                ("getDataConsumerStats", .emptyObject, "invalid data for \"getDataConsumerStats\": missing field \"dataConsumerId\""),
                ("applyNetworkThrottle", .object(["secret": .string("s")]), "applyNetworkThrottle is not supported by this server"),
                ("resetNetworkThrottle", .emptyObject, "resetNetworkThrottle is not supported by this server"),
                ("fly", .emptyObject, "unknown request.method \"fly\""),
            ]
            for (method, data, reason) in cases {
                let outcome = try await client.request(method, data)
                XCTAssertEqual(outcome, .failure(ProtooError(code: 500, reason: reason)), method)
            }
            _ = try await client.succeed("join", .object(["displayName": .string("A"), "device": Self.device]))
            let again = try await client.request("join", .object(["displayName": .string("A"), "device": Self.device]))
            XCTAssertEqual(again, .failure(ProtooError(reason: "Peer already joined")))
            let priority = try await client.request(
                "setConsumerPriority", .object(["consumerId": .string("c"), "priority": .integer(0)]))
            XCTAssertEqual(priority, .failure(ProtooError(reason: "priority must be between 1 and 255, got 0")))
            let consumer = try await client.request("resumeConsumer", .object(["consumerId": .string("c")]))
            XCTAssertEqual(consumer, .failure(ProtooError(reason: "consumer with id \"c\" not found")))
            try await client.close()
        }
    }

    func testLeavingPeerClosesItsMediaAndOthersHearPeerClosed() async throws {
        try await withProtoo { port, registry in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let bob = try await Self.joinedPeer(port: port, peerId: "bob")
            let carol = try await Self.joinedPeer(port: port, peerId: "carol")
            _ = try await Self.produceAudio(bob)
            let offer = try await alice.client.serverRequest("newConsumer")
            try await alice.client.respond(to: offer, .success(.emptyObject))

            // Bob's socket closes: his producer's consumers close and everyone hears it.
            try await bob.client.close()
            let consumerClosed = try await alice.client.notification("consumerClosed")
            XCTAssertEqual(consumerClosed["consumerId"], offer.data["id"])
            let bobClosed = try await alice.client.notification("peerClosed")
            XCTAssertEqual(bobClosed, .object(["peerId": .string("bob")]))

            // Carol leaves with leaveRoom: answered, then closed by the server with 4000.
            let left = try await carol.client.request("leaveRoom")
            XCTAssertEqual(left, .success(.emptyObject))
            let closeFrame = try await carol.client.closed()
            XCTAssertEqual(closeFrame?.closeCode, .unknown(4000))
            let carolClosed = try await alice.client.notification("peerClosed")
            XCTAssertEqual(carolClosed, .object(["peerId": .string("carol")]))
            let room = await registry.existingRoom(id: "room1")
            let remaining = await room?.participantCount
            XCTAssertEqual(remaining, 1)
            try await alice.client.close()
        }
    }

    func testReconnectingPeerReplacesItsPreviousSession() async throws {
        try await withProtoo { port, _ in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let bob = try await Self.joinedPeer(port: port, peerId: "bob")
            let again = try await Self.joinedPeer(port: port, peerId: "bob")
            XCTAssertEqual(again.peers.arrayValue?.compactMap { $0["id"]?.stringValue }, ["alice"])
            let oldClose = try await bob.client.closed()
            XCTAssertEqual(oldClose?.closeCode, .unknown(4000))
            let joined = try await alice.client.notification("newPeer")
            XCTAssertEqual(joined["id"], .string("bob"))
            let closed = try await alice.client.notification("peerClosed")
            XCTAssertEqual(closed, .object(["peerId": .string("bob")]))
            let rejoined = try await alice.client.notification("newPeer")
            XCTAssertEqual(rejoined["id"], .string("bob"))
            let aliceArrivals = await alice.client.arrivals
            XCTAssertEqual(aliceArrivals.filter { $0.hasPrefix("notification:") }, [
                "notification:mediasoup-version", "notification:newPeer", "notification:peerClosed", "notification:newPeer",
            ])
            try await alice.client.close()
            try await again.client.close()
        }
    }

    func testBroadcasterJoiningAndProducingReachesJoinedPeers() async throws {
        try await withProtoo { port, registry in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let room = try await registry.room(id: "room1", create: false)
            _ = try await room.addBroadcaster(
                id: "ffmpeg", displayName: "FFmpeg", device: DeviceInfo(name: "ffmpeg", flag: "broadcaster"),
                rtpCapabilities: nil)
            let newPeer = try await alice.client.notification("newPeer")
            XCTAssertEqual(newPeer["id"], .string("ffmpeg"))
            XCTAssertEqual(newPeer["device"]?["flag"], .string("broadcaster"))
            let transport = try await room.createTransport(participantId: "ffmpeg", as: .broadcaster, request: .plain(PlainTransportRequest()))
            let producerId = try await room.produce(
                participantId: "ffmpeg", as: .broadcaster, transportId: transport.id, kind: .audio,
                rtpParameters: RtpParameters(
                    codecs: [RtpCodecParameters(mimeType: "audio/opus", payloadType: 100, clockRate: 48000, channels: 2)],
                    encodings: [RtpEncodingParameters(ssrc: 3333)]))
            let offer = try await alice.client.serverRequest("newConsumer")
            XCTAssertEqual(offer.data["peerId"], .string("ffmpeg"))
            XCTAssertEqual(offer.data["producerId"], .string(producerId))
            try await room.removeBroadcaster(id: "ffmpeg")
            let closed = try await alice.client.notification("peerClosed")
            XCTAssertEqual(closed, .object(["peerId": .string("ffmpeg")]))
            try await alice.client.close()
        }
    }

    func testPeerTheRoomCannotTakeIsClosedWithTheReason() async throws {
        try await withProtoo(configuration: RoomsConfiguration(defaultMaxPeerCount: 1)) { port, _ in
            let alice = try await ProtooTestClient.connect(port: port, peerId: "alice")
            _ = try await alice.notification("mediasoup-version")
            let full = try await HTTPHandshake.closeFrameAfterUpgrade(port: port, target: "/?roomId=room1&peerId=bob")
            XCTAssertEqual(full.code, 4000)
            XCTAssertEqual(full.reason, "room is full (maxPeerCount 1)")
            let long = String(repeating: "r", count: 129)
            let invalid = try await HTTPHandshake.closeFrameAfterUpgrade(port: port, target: "/?roomId=\(long)&peerId=carol")
            XCTAssertEqual(invalid.code, 4000)
            XCTAssertEqual(invalid.reason, "invalid roomId: use 1-128 characters, none of them control characters")
            try await alice.close()
        }
    }

    func testClosingTheRoomClosesItsPeers() async throws {
        try await withProtoo { port, registry in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            try await registry.closeRoom(id: "room1")
            let closeFrame = try await alice.client.closed()
            XCTAssertEqual(closeFrame?.closeCode, .unknown(4000))
        }
    }
}
