import NIOConcurrencyHelpers
import NIOPosix
import XCTest
@testable import Rooms
@testable import SFU

final class RoomRegistryTests: XCTestCase {
    private var pool: MediaWorkerPool!

    override func setUp() async throws {
        pool = try await MediaWorkerPool.start(
            settings: MediaSettings(workerCount: 2, listenIP: "127.0.0.1", useWebRtcServer: false))
    }

    override func tearDown() async throws {
        await pool.close()
    }

    func testSimultaneousGetOrCreateGiveOneRoom() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration())
        async let first = registry.room(id: "same", create: true)
        async let second = registry.room(id: "same", create: true)
        let (a, b) = try await (first, second)
        XCTAssertTrue(a === b)
        let summaries = await registry.summaries()
        XCTAssertEqual(summaries.map(\.roomId), ["same"])
    }

    func testRoomsMadeBeforeAnyoneJoinsAreSpreadOverTheWorkers() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration())
        var workers: [ObjectIdentifier] = []
        for index in 0..<4 {
            let room = try await registry.createRoom(id: "empty-\(index)", options: RoomOptions())
            workers.append(ObjectIdentifier(await room.router.worker))
        }
        XCTAssertEqual(Dictionary(grouping: workers, by: { $0 }).values.map(\.count).sorted(), [2, 2])
    }

    func testRoomsMadeAtTheSameMomentGoToDifferentWorkers() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration())
        async let first = registry.createRoom(id: "at-once-1", options: RoomOptions())
        async let second = registry.createRoom(id: "at-once-2", options: RoomOptions())
        let (a, b) = try await (first, second)
        let (workerA, workerB) = (await a.router.worker, await b.router.worker)
        XCTAssertFalse(workerA === workerB)
    }

    /// Draining keeps the calls under way: a peer of a room may reconnect under its id (also just
    /// after its socket closed), while new rooms, peers and broadcasters go elsewhere.
    func testADrainingServerRefusesNewcomersAndTakesBackAReconnectingPeer() async throws {
        let draining = NIOLockedValueBox(false)
        let registry = RoomRegistry(
            pool: pool, configuration: RoomsConfiguration(acceptsNewSessions: { !draining.withLockedValue { $0 } }))
        let room = try await registry.createRoom(id: "call", options: RoomOptions())
        try await room.addPeer(id: "alice", signaling: RecordingSignaling())
        draining.withLockedValue { $0 = true }

        let aliceAgain = RecordingSignaling()
        try await room.addPeer(id: "alice", signaling: aliceAgain)
        // A browser reload: the old socket closes first, then the peer comes back.
        let carol = RecordingSignaling()
        draining.withLockedValue { $0 = false }
        try await room.addPeer(id: "carol", signaling: carol)
        draining.withLockedValue { $0 = true }
        await room.removePeer(id: "carol", signaling: carol)
        let carolAgain = RecordingSignaling()
        try await room.addPeer(id: "carol", signaling: carolAgain)
        do {
            try await room.addPeer(id: "bob", signaling: RecordingSignaling())
            XCTFail("a new peer was admitted while draining")
        } catch {
            XCTAssertEqual(error, .unavailable("server is draining; no new peers"))
        }
        do {
            _ = try await room.addBroadcaster(id: "radio", displayName: "Radio", device: DeviceInfo(name: "ffmpeg"), rtpCapabilities: nil)
            XCTFail("a new broadcaster was admitted while draining")
        } catch {
            XCTAssertEqual(error, .unavailable("server is draining; no new broadcasters"))
        }
        do {
            _ = try await registry.createRoom(id: "later", options: RoomOptions())
            XCTFail("a new room was made while draining")
        } catch {
            XCTAssertEqual(error, .unavailable("server is draining; no new rooms"))
        }

        // The last person of a room reloads: the room waits for them instead of closing.
        await room.removePeer(id: "alice", signaling: aliceAgain)
        await room.removePeer(id: "carol", signaling: carolAgain)
        let closed = await room.isClosed
        XCTAssertFalse(closed, "the emptied room closed while its last peer could come back")
        try await room.addPeer(id: "carol", signaling: RecordingSignaling())
        await registry.closeAll()
    }

    func testCreatingAnExistingRoomIsAConflict() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration())
        _ = try await registry.createRoom(id: "taken", options: RoomOptions())
        do {
            _ = try await registry.createRoom(id: "taken", options: RoomOptions())
            XCTFail("second creation accepted")
        } catch {
            XCTAssertEqual(error, .conflict("room with id \"taken\" already exists"))
        }
    }

    func testGeneratedRoomIdsAreEightCharacters() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration())
        let room = try await registry.createRoom(id: nil, options: RoomOptions())
        XCTAssertEqual(room.id.count, 8)
    }

    func testMissingRoomIsNotFoundWithoutAutoCreation() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration(autoCreateRooms: false))
        do {
            _ = try await registry.room(id: "nobody", create: true)
            XCTFail("room created")
        } catch {
            XCTAssertEqual(error, .notFound("room with id \"nobody\" not found"))
        }
    }

    func testFullRoomRefusesAnotherBroadcaster() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration())
        let room = try await registry.createRoom(id: "small", options: RoomOptions(maxPeerCount: 1))
        _ = try await room.addBroadcaster(id: "a", displayName: "A", device: DeviceInfo(name: "test"), rtpCapabilities: nil)
        do {
            _ = try await room.addBroadcaster(id: "b", displayName: "B", device: DeviceInfo(name: "test"), rtpCapabilities: nil)
            XCTFail("room over capacity")
        } catch {
            XCTAssertEqual(error, .conflict("room is full (maxPeerCount 1)"))
        }
    }

    func testRoomClosesWhenItsLastBroadcasterLeaves() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration())
        let room = try await registry.createRoom(id: "brief", options: RoomOptions())
        _ = try await room.addBroadcaster(id: "a", displayName: "A", device: DeviceInfo(name: "test"), rtpCapabilities: nil)
        try await room.removeBroadcaster(id: "a")
        let closed = await room.isClosed
        XCTAssertTrue(closed)
        let remaining = await registry.existingRoom(id: "brief")
        XCTAssertNil(remaining)
    }

    func testNewcomerAsTheLastParticipantLeavesGetsAnOpenRoom() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration())
        let device = DeviceInfo(name: "test")
        for round in 0..<30 {
            let room = try await registry.room(id: "handover", create: true)
            _ = try await room.addBroadcaster(id: "leaving", displayName: "L", device: device, rtpCapabilities: nil)
            async let leave = room.removeBroadcaster(id: "leaving")
            let entered = try await registry.enter(roomId: "handover", create: true) { room throws(RoomError) in
                _ = try await room.addBroadcaster(id: "arriving", displayName: "A", device: device, rtpCapabilities: nil)
                return room
            }
            _ = try await leave
            let open = await !entered.isClosed
            XCTAssertTrue(open, "round \(round): the newcomer was put in a closed room")
            try await entered.removeBroadcaster(id: "arriving")
        }
    }

    func testUnusedRoomClosesAfterTheIdleTimeout() async throws {
        let registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration(idleRoomTimeout: .milliseconds(100)))
        let room = try await registry.createRoom(id: "idle", options: RoomOptions())
        for _ in 0..<50 where await registry.existingRoom(id: "idle") != nil {
            try await Task.sleep(for: .milliseconds(20))
        }
        let closed = await room.isClosed
        XCTAssertTrue(closed)
    }
}
