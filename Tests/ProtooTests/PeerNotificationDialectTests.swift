import Foundation
import Rooms
import SFU
import XCTest

@testable import Protoo

/// The room's notifications in each demo's form: the classic demo's unchanged, the TypeScript
/// demo's where it differs.
final class PeerNotificationDialectTests: XCTestCase {
    private func messages(_ notification: PeerNotification, _ dialect: ProtooDialect) throws -> [ProtooNotification] {
        try notification.protooNotifications(in: dialect)
    }

    func testNewPeerIsWrappedAndNamedByPeerId() throws {
        let peer = try JSONDecoder().decode(PeerSummary.self, from: Data(#"""
            {"id": "bob", "displayName": "Bob", "device": {"name": "Chrome", "flag": "chrome"}, "producers": []}
            """#.utf8))
        XCTAssertEqual(try messages(.newPeer(peer), .classic), [ProtooNotification(method: "newPeer", data: .object([
            "id": .string("bob"), "displayName": .string("Bob"),
            "device": .object(["name": .string("Chrome"), "flag": .string("chrome")]),
        ]))])
        XCTAssertEqual(try messages(.newPeer(peer), .typeScript), [ProtooNotification(method: "newPeer", data: .object([
            "peer": .object([
                "peerId": .string("bob"), "displayName": .string("Bob"),
                "device": .object(["name": .string("Chrome"), "flag": .string("chrome")]),
            ]),
        ]))])
    }

    func testLayersAreAnObjectOrAbsent() throws {
        let changed = PeerNotification.consumerLayersChanged(
            consumerId: "c", layers: ConsumerLayers(spatialLayer: 2, temporalLayer: 1))
        XCTAssertEqual(try messages(changed, .classic).map(\.data), [.object([
            "consumerId": .string("c"), "spatialLayer": .integer(2), "temporalLayer": .integer(1),
        ])])
        XCTAssertEqual(try messages(changed, .typeScript).map(\.data), [.object([
            "consumerId": .string("c"), "layers": .object(["spatialLayer": .integer(2), "temporalLayer": .integer(1)]),
        ])])
        XCTAssertEqual(
            try messages(.consumerLayersChanged(consumerId: "c", layers: nil), .typeScript).map(\.data),
            [.object(["consumerId": .string("c")])])
    }

    func testActiveSpeakerIsAlsoTheSpeakingPeers() throws {
        XCTAssertEqual(try messages(.activeSpeaker(peerId: "bob", volume: -30), .typeScript), [
            ProtooNotification(method: "speakingPeers", data: .object([
                "peerVolumes": .array([.object(["peerId": .string("bob"), "volume": .integer(-30)])]),
            ])),
            ProtooNotification(method: "activeSpeaker", data: .object(["peerId": .string("bob")])),
        ])
        XCTAssertEqual(try messages(.activeSpeaker(peerId: nil, volume: nil), .typeScript), [
            ProtooNotification(method: "speakingPeers", data: .object(["peerVolumes": .array([])])),
            ProtooNotification(method: "activeSpeaker", data: .object([:])),
        ])
        XCTAssertEqual(
            try messages(.activeSpeaker(peerId: nil, volume: nil), .classic),
            [ProtooNotification(method: "activeSpeaker", data: .object(["peerId": .null]))])
    }

    func testWhatBothDemosShareIsTheSame() throws {
        for notification: PeerNotification in [
            .peerClosed(peerId: "bob"), .consumerPaused(consumerId: "c"), .consumerClosed(consumerId: "c"),
            .dataConsumerClosed(dataConsumerId: "d"),
        ] {
            XCTAssertEqual(try messages(notification, .typeScript), try messages(notification, .classic))
        }
    }
}
