import XCTest
@testable import Rooms
@testable import SFU

/// The broadcaster routes act on broadcasters only, and protoo requests on peers only.
final class ParticipantRoleTests: RoomTestCase {
    func testABroadcasterRouteCannotActForAPeer() async throws {
        let room = try await registry.room(id: "roles", create: true)
        try await room.addPeer(id: "alice", signaling: RecordingSignaling())
        _ = try await room.join(peerId: "alice", displayName: "Alice", device: DeviceInfo(name: "test"), rtpCapabilities: nil)
        do {
            _ = try await room.createTransport(participantId: "alice", as: .broadcaster, request: .plain(PlainTransportRequest()))
            XCTFail("a broadcaster route made a transport for a protoo peer")
        } catch {
            XCTAssertEqual(error, .notFound("broadcaster with id \"alice\" not found"))
        }
        _ = try await room.createTransport(participantId: "alice", as: .peer, request: .plain(PlainTransportRequest()))
    }

    func testAProtooPeerCannotActForABroadcaster() async throws {
        let room = try await registry.room(id: "roles", create: true)
        _ = try await room.addBroadcaster(
            id: "ffmpeg", displayName: "ffmpeg", device: DeviceInfo(name: "FFmpeg"), rtpCapabilities: nil)
        do {
            _ = try await room.createTransport(participantId: "ffmpeg", as: .peer, request: .plain(PlainTransportRequest()))
            XCTFail("a peer request made a transport for a broadcaster")
        } catch {
            XCTAssertEqual(error, .notFound("peer with id \"ffmpeg\" not found"))
        }
    }

    func testATransportRequestedAsItsOwnerLeavesIsNotLeftBehind() async throws {
        let room = try await registry.room(id: "roles", create: true)
        _ = try await room.addBroadcaster(
            id: "ffmpeg", displayName: "ffmpeg", device: DeviceInfo(name: "FFmpeg"), rtpCapabilities: nil)
        _ = try await room.addBroadcaster(
            id: "stays", displayName: "stays", device: DeviceInfo(name: "FFmpeg"), rtpCapabilities: nil)
        async let made = room.createTransport(participantId: "ffmpeg", as: .broadcaster, request: .plain(PlainTransportRequest()))
        async let removed: Bool = room.removeBroadcaster(id: "ffmpeg")
        _ = try await removed
        _ = try? await made
        // Whichever came first, no transport is left: closed with its owner, refused, or made
        // and closed at once because its owner had gone.
        let load = await room.router.worker.load
        XCTAssertEqual(load, 1, "only the router counts")
    }
}
