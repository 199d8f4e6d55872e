import Rooms
import XCTest

@testable import Protoo

/// produceData and newDataConsumer as mediasoup-demo: peers with data channels are offered the
/// room bot's data producer on join and each other's `chat` channels.
final class ProtooDataChannelTests: ProtooRoomTestCase {
    private static let sctpCapabilities = JSONValue.object([
        "numStreams": .object(["OS": .integer(1024), "MIS": .integer(1024)]),
    ])

    /// A peer that created both transports with SCTP and joined with data channels.
    private static func dataPeer(port: Int, peerId: String) async throws -> (ProtooTestClient, sendTransportId: String) {
        let client = try await ProtooTestClient.connect(port: port, peerId: peerId)
        let capabilities = try await client.succeed("getRouterRtpCapabilities")
        let send = try await client.succeed(
            "createWebRtcTransport",
            .object(["producing": .bool(true), "consuming": .bool(false), "sctpCapabilities": Self.sctpCapabilities]))
        _ = try await client.succeed(
            "createWebRtcTransport",
            .object(["producing": .bool(false), "consuming": .bool(true), "sctpCapabilities": Self.sctpCapabilities]))
        _ = try await client.succeed(
            "join",
            .object([
                "displayName": .string(peerId), "device": Self.device, "rtpCapabilities": capabilities,
                "sctpCapabilities": Self.sctpCapabilities,
            ]))
        return (client, try XCTUnwrap(send["id"]?.stringValue))
    }

    func testPeersGetTheBotAndEachOthersChat() async throws {
        try await withProtoo { port, _ in
            let (alice, aliceSend) = try await Self.dataPeer(port: port, peerId: "alice")
            let botOffer = try await alice.serverRequest("newDataConsumer")
            XCTAssertEqual(botOffer.data["peerId"], .null, "the bot's data consumer has no peer")
            XCTAssertEqual(botOffer.data["label"], .string("bot"))
            XCTAssertNotNil(botOffer.data["sctpStreamParameters"]?["streamId"])
            try await alice.respond(to: botOffer, .success(.emptyObject))

            let chat = try await alice.succeed(
                "produceData",
                .object([
                    "transportId": .string(aliceSend), "label": .string("chat"), "protocol": .string(""),
                    "sctpStreamParameters": .object(["streamId": .integer(0), "ordered": .bool(true)]),
                    "appData": .object(["info": .string("my-chat-DataProducer")]),
                ]))
            let chatId = try XCTUnwrap(chat["id"]?.stringValue)

            let (bob, _) = try await Self.dataPeer(port: port, peerId: "bob")
            let chatOffer = try await bob.serverRequest("newDataConsumer")
            XCTAssertEqual(chatOffer.data["peerId"], .string("alice"))
            XCTAssertEqual(chatOffer.data["dataProducerId"], .string(chatId))
            XCTAssertEqual(chatOffer.data["label"], .string("chat"))
            XCTAssertEqual(chatOffer.data["appData"]?["info"], .string("my-chat-DataProducer"))
            XCTAssertEqual(chatOffer.data["sctpStreamParameters"]?["ordered"], .bool(true))
            try await bob.respond(to: chatOffer, .success(.emptyObject))
            let bobBot = try await bob.serverRequest("newDataConsumer")
            XCTAssertEqual(bobBot.data["label"], .string("bot"))
            try await bob.respond(to: bobBot, .success(.emptyObject))

            let stats = try await alice.succeed("getDataProducerStats", .object(["dataProducerId": .string(chatId)]))
            XCTAssertEqual(stats.arrayValue?.first?["type"], .string("data-producer"))
            XCTAssertEqual(stats.arrayValue?.first?["label"], .string("chat"))
            let consumerStats = try await bob.succeed(
                "getDataConsumerStats", .object(["dataConsumerId": try XCTUnwrap(chatOffer.data["id"])]))
            XCTAssertEqual(consumerStats.arrayValue?.first?["type"], .string("data-consumer"))

            // Alice leaving closes her chat producer; Bob's consumer of it is closed and he hears it.
            try await alice.close()
            let closed = try await bob.notification("dataConsumerClosed")
            XCTAssertEqual(closed["dataConsumerId"], chatOffer.data["id"])
            try await bob.close()
        }
    }

    func testProduceDataNeedsAnSctpTransportAndValidStreamParameters() async throws {
        try await withProtoo { port, _ in
            let peer = try await Self.joinedPeer(port: port, peerId: "carol")
            let noSctp = try await peer.client.request(
                "produceData",
                .object([
                    "transportId": .string(peer.sendTransportId), "label": .string("chat"),
                    "sctpStreamParameters": .object(["streamId": .integer(1)]),
                ]))
            XCTAssertEqual(noSctp, .failure(ProtooError(reason: "SCTP not enabled in this transport")))
            let bothLimits = try await peer.client.request(
                "produceData",
                .object([
                    "transportId": .string(peer.sendTransportId),
                    "sctpStreamParameters": .object([
                        "streamId": .integer(1), "maxRetransmits": .integer(1), "maxPacketLifeTime": .integer(5),
                    ]),
                ]))
            XCTAssertEqual(bothLimits, .failure(ProtooError(reason: "cannot provide both maxPacketLifeTime and maxRetransmits")))
            try await peer.client.close()
        }
    }
}
