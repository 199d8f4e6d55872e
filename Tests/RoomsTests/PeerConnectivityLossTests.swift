import NIOPosix
import XCTest
@testable import Rooms
@testable import SFU

/// mediasoup-demo closes a protoo peer whose transport lost ICE or DTLS; broadcasters stay.
final class PeerConnectivityLossTests: RoomTestCase {
    /// A joined peer with one WebRTC transport, and that transport as the engine holds it.
    private func joinedPeer(
        _ peerId: String, in room: Room, signaling: RecordingSignaling
    ) async throws -> WebRtcTransport {
        try await room.addPeer(id: peerId, signaling: signaling)
        _ = try await room.join(peerId: peerId, displayName: peerId, device: DeviceInfo(name: "test"), rtpCapabilities: nil)
        guard case .webRtc(let description) = try await room.createTransport(
            participantId: peerId, as: .peer, request: .webRtc(WebRtcTransportRequest(consuming: true)))
        else { throw XCTSkip("expected a WebRTC transport") }
        let router = await room.router
        let transport = try await router.worker.onLoop { router.transports[description.id] as? WebRtcTransport }
        return try XCTUnwrap(transport)
    }

    private func waitUntil(_ condition: @escaping () async -> Bool) async -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func testPeerWhoseIceDisconnectsOrDtlsFailsIsClosedAndOthersHearIt() async throws {
        let room = try await registry.room(id: "calls", create: true)
        let witness = RecordingSignaling()
        _ = try await joinedPeer("witness", in: room, signaling: witness)

        for (peerId, event) in [("ice", TransportEvent.iceStateChange(.disconnected)), ("dtls", .dtlsStateChange(.failed))] {
            let signaling = RecordingSignaling()
            let transport = try await joinedPeer(peerId, in: room, signaling: signaling)
            // The engine's own tests drive consent expiry and DTLS; here the room's reaction.
            transport.eventSink.yield(.iceStateChange(.completed))
            transport.eventSink.yield(event)
            let closed = await waitUntil { signaling.isClosed }
            XCTAssertTrue(closed, "\(peerId): peer not closed")
            let joined = await room.isJoined(peerId: peerId)
            XCTAssertFalse(joined, peerId)
            let transportClosed = transport.isClosed
            XCTAssertTrue(transportClosed, peerId)
            XCTAssertTrue(witness.received.contains(.peerClosed(peerId: peerId)), peerId)
        }
        XCTAssertFalse(witness.isClosed)
    }

    func testTransportsClosedByTheRoomDoNotCloseAnyoneElse() async throws {
        let room = try await registry.room(id: "calls", create: true)
        let staying = RecordingSignaling()
        _ = try await joinedPeer("staying", in: room, signaling: staying)
        let leaving = RecordingSignaling()
        let transport = try await joinedPeer("leaving", in: room, signaling: leaving)
        await room.removePeer(id: "leaving", signaling: leaving)
        transport.eventSink.yield(.dtlsStateChange(.closed))
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertFalse(staying.isClosed)
        let stillJoined = await room.isJoined(peerId: "staying")
        XCTAssertTrue(stillJoined)
    }
}
