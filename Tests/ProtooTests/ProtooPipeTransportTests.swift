import XCTest

@testable import Protoo
@testable import Rooms
@testable import SFU

/// A room created with `usePipeTransports=true` (mediasoup-demo-ts) on a server with two
/// workers: receiving transports go to a second router on the other worker, and producers,
/// their pause, resume and close, and data producers (the bot's too) reach it through pipes.
final class ProtooPipeTransportTests: ProtooRoomTestCase {
    override class var workerCount: Int { 2 }

    private static let pipeQuery = "&usePipeTransports=true"

    private static func transportIds(of router: Router) async throws -> Set<String> {
        try await router.worker.onLoop { Set(router.transports.keys) }
    }

    func testReceivingTransportsAndConsumersLiveOnTheSecondWorker() async throws {
        try await withProtoo { port, registry in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice", extraQuery: Self.pipeQuery)
            let bob = try await Self.joinedPeer(port: port, peerId: "bob", extraQuery: Self.pipeQuery)
            let existing = await registry.existingRoom(id: "room1")
            let room = try XCTUnwrap(existing)
            let producerRouter = await room.router
            let secondRouter = await room.consumerSide?.router
            let consumerRouter = try XCTUnwrap(secondRouter, "the room has no second router")
            XCTAssertFalse(consumerRouter.worker === producerRouter.worker, "both routers are on one worker")
            let producerSide = try await Self.transportIds(of: producerRouter)
            let consumerSide = try await Self.transportIds(of: consumerRouter)
            XCTAssertTrue(producerSide.isSuperset(of: [alice.sendTransportId, bob.sendTransportId]))
            XCTAssertTrue(consumerSide.isSuperset(of: [alice.recvTransportId, bob.recvTransportId]))

            let producerId = try await Self.produceAudio(alice)
            let piped = await consumerRouter.canConsume(producerId: producerId, rtpCapabilities: room.rtpCapabilities)
            XCTAssertTrue(piped, "the producer was not piped to the second router")
            let offer = try await bob.client.serverRequest("newConsumer")
            XCTAssertEqual(offer.data["producerId"], .string(producerId))
            let consumerId = try XCTUnwrap(offer.data["id"]?.stringValue)
            try await bob.client.respond(to: offer, .success(.emptyObject))
            let score = try await bob.client.notification("consumerScore")
            XCTAssertEqual(score["consumerId"], .string(consumerId))

            try await Self.assertPauseAndResumeReach(
                bob.client, consumerId: consumerId, from: alice.client, producerId: producerId)
            _ = try await alice.client.succeed("closeProducer", .object(["producerId": .string(producerId)]))
            let closed = try await bob.client.notification("consumerClosed")
            XCTAssertEqual(closed, .object(["consumerId": .string(consumerId)]))
            try await alice.client.close()
            try await bob.client.close()
        }
    }

    func testDataChannelsCrossThePipe() async throws {
        let sctp = JSONValue.object(["numStreams": .object(["OS": .integer(1024), "MIS": .integer(1024)])])
        try await withProtoo { port, _ in
            var sendTransportIds: [String: String] = [:]
            var clients: [String: ProtooTestClient] = [:]
            for peerId in ["alice", "bob"] {
                let client = try await ProtooTestClient.connect(port: port, peerId: peerId, extraQuery: Self.pipeQuery)
                let capabilities = try await client.succeed("getRouterRtpCapabilities")
                let send = try await client.succeed(
                    "createWebRtcTransport",
                    .object(["producing": .bool(true), "consuming": .bool(false), "sctpCapabilities": sctp]))
                _ = try await client.succeed(
                    "createWebRtcTransport",
                    .object(["producing": .bool(false), "consuming": .bool(true), "sctpCapabilities": sctp]))
                _ = try await client.succeed(
                    "join",
                    .object([
                        "displayName": .string(peerId), "device": Self.device, "rtpCapabilities": capabilities,
                        "sctpCapabilities": sctp,
                    ]))
                sendTransportIds[peerId] = try XCTUnwrap(send["id"]?.stringValue)
                clients[peerId] = client
            }
            let alice = try XCTUnwrap(clients["alice"])
            let bob = try XCTUnwrap(clients["bob"])
            let botOffer = try await alice.serverRequest("newDataConsumer")
            XCTAssertEqual(botOffer.data["label"], .string("bot"), "the bot was not offered across the pipe")
            try await alice.respond(to: botOffer, .success(.emptyObject))
            let bobBot = try await bob.serverRequest("newDataConsumer")
            try await bob.respond(to: bobBot, .success(.emptyObject))

            let chat = try await alice.succeed(
                "produceData",
                .object([
                    "transportId": .string(try XCTUnwrap(sendTransportIds["alice"])), "label": .string("chat"),
                    "protocol": .string(""), "sctpStreamParameters": .object(["streamId": .integer(0), "ordered": .bool(true)]),
                ]))
            let chatOffer = try await bob.serverRequest("newDataConsumer")
            XCTAssertEqual(chatOffer.data["dataProducerId"], chat["id"])
            try await bob.respond(to: chatOffer, .success(.emptyObject))
            try await alice.close()
            let closed = try await bob.notification("dataConsumerClosed")
            XCTAssertEqual(closed["dataConsumerId"], chatOffer.data["id"])
            try await bob.close()
        }
    }
}
