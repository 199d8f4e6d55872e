import Foundation
import XCTest
@testable import Rooms
@testable import SFU

/// Consumers are offered paused and resumed when the peer accepts them, unless the peer paused
/// one before its answer arrived (mediasoup-demo's client does so at once in audio-only mode).
final class ConsumerOfferTests: RoomTestCase {
    /// Keeps each consumer offer unanswered until the test answers it.
    private final class HeldOffers: PeerSignaling, @unchecked Sendable {
        typealias Answer = @Sendable (Bool) async -> Void
        private let lock = NSLock()
        private var offers: [(offer: ConsumerOffer, answer: Answer)] = []
        private var notifications: [PeerNotification] = []

        var held: [(offer: ConsumerOffer, answer: Answer)] { lock.withLock { offers } }
        var received: [PeerNotification] { lock.withLock { notifications } }

        func notify(_ notification: PeerNotification) async { lock.withLock { notifications.append(notification) } }
        func offerConsumer(_ offer: ConsumerOffer, answered: @escaping Answer) async {
            lock.withLock { offers.append((offer, answered)) }
        }
        func offerDataConsumer(_ offer: DataConsumerOffer) async {}
        func close() async {}
    }

    /// A room with a broadcaster's Opus producer and peer "alice" offered a consumer of it.
    private func offeredConsumer() async throws -> (Room, HeldOffers.Answer, consumerId: String, HeldOffers) {
        let room = try await registry.room(id: "offers", create: true)
        _ = try await room.addBroadcaster(id: "radio", displayName: "Radio", device: DeviceInfo(name: "ffmpeg"), rtpCapabilities: nil)
        guard case .plain(let transport) = try await room.createTransport(
            participantId: "radio", as: .broadcaster, request: .plain(PlainTransportRequest(comedia: true)))
        else { throw XCTSkip("expected a plain transport") }
        _ = try await room.produce(
            participantId: "radio", as: .broadcaster, transportId: transport.id, kind: .audio,
            rtpParameters: RtpParameters(
                codecs: [RtpCodecParameters(mimeType: "audio/opus", payloadType: 100, clockRate: 48000, channels: 2)],
                encodings: [RtpEncodingParameters(ssrc: 4444)]))
        let signaling = HeldOffers()
        try await room.addPeer(id: "alice", signaling: signaling)
        _ = try await room.join(
            peerId: "alice", displayName: "Alice", device: DeviceInfo(name: "test"), rtpCapabilities: room.rtpCapabilities)
        _ = try await room.createTransport(
            participantId: "alice", as: .peer, request: .webRtc(WebRtcTransportRequest(consuming: true)))
        await room.startConsuming(peerId: "alice")
        let (offer, answer) = try XCTUnwrap(signaling.held.first)
        return (room, answer, offer.id, signaling)
    }

    func testAnAcceptedOfferIsResumed() async throws {
        let (room, answer, consumerId, _) = try await offeredConsumer()
        let pausedBefore = await room.isPaused(consumerId, of: "alice")
        XCTAssertEqual(pausedBefore, true)
        await answer(true)
        let pausedAfter = await room.isPaused(consumerId, of: "alice")
        XCTAssertEqual(pausedAfter, false)
    }

    func testARefusedOrUnansweredOfferIsClosedAndThePeerToldSo() async throws {
        let (room, answer, consumerId, signaling) = try await offeredConsumer()
        await answer(false)
        let paused = await room.isPaused(consumerId, of: "alice")
        XCTAssertNil(paused, "the consumer is gone")
        XCTAssertTrue(signaling.received.contains {
            if case .consumerClosed(consumerId) = $0 { return true }
            return false
        })
    }

    func testAConsumerPausedBeforeItsOfferIsAnsweredStaysPaused() async throws {
        let (room, answer, consumerId, _) = try await offeredConsumer()
        try await room.pauseConsumer(peerId: "alice", consumerId: consumerId)
        await answer(true)
        let paused = await room.isPaused(consumerId, of: "alice")
        XCTAssertEqual(paused, true)
        try await room.resumeConsumer(peerId: "alice", consumerId: consumerId)
        let resumed = await room.isPaused(consumerId, of: "alice")
        XCTAssertEqual(resumed, false)
    }
}

extension Room {
    fileprivate func isPaused(_ consumerId: String, of peerId: String) -> Bool? {
        participants[peerId]?.consumers[consumerId]?.paused
    }
}
