import Foundation
import Logging
import SFU

/// All rooms of the process. Creation is serialised per id, so two simultaneous requests for
/// one id get the same room; rooms go to the least loaded worker; a room nobody joins closes
/// after the idle timeout.
public actor RoomRegistry {
    public nonisolated let configuration: RoomsConfiguration
    private let pool: MediaWorkerPool
    private let logger: Logger
    private var rooms: [String: Room] = [:]
    private var creations: [String: Task<Room, any Error>] = [:]

    public init(pool: MediaWorkerPool, configuration: RoomsConfiguration, logger: Logger = Logger(label: "sfu.rooms")) {
        self.pool = pool
        self.configuration = configuration
        self.logger = logger
    }

    /// Creates a room; an existing id is a conflict. Without an id one is generated.
    public func createRoom(id requestedId: String?, options: RoomOptions) async throws(RoomError) -> Room {
        let roomId = try requestedId.map(Self.validated) ?? Self.generateId()
        guard rooms[roomId] == nil, creations[roomId] == nil else {
            throw .conflict("room with id \"\(roomId)\" already exists")
        }
        return try await makeRoom(roomId, options: options)
    }

    /// The room with `id`, created when missing if rooms are auto-created and `create` is set.
    public func room(id roomId: String, create: Bool, options: RoomOptions = RoomOptions()) async throws(RoomError)
        -> Room
    {
        let roomId = try Self.validated(roomId)
        if let room = rooms[roomId] { return room }
        if let pending = creations[roomId] {
            do {
                return try await pending.value
            } catch {
                throw RoomError(error)
            }
        }
        guard create, configuration.autoCreateRooms else {
            throw .notFound("room with id \"\(roomId)\" not found")
        }
        return try await makeRoom(roomId, options: options)
    }

    private func makeRoom(_ roomId: String, options: RoomOptions) async throws(RoomError) -> Room {
        guard configuration.acceptsNewSessions() else { throw .unavailable("server is draining; no new rooms") }
        if let maxPeerCount = options.maxPeerCount, maxPeerCount < 1 {
            throw .invalid("maxPeerCount must be at least 1")
        }
        let pool = self.pool
        let configuration = self.configuration
        let logger = self.logger
        let task = Task { () async throws -> Room in
            let member = await pool.leastLoaded()
            let router = try await member.worker.createRouter(mediaCodecs: pool.settings.mediaCodecs)
            var consumerSide: Room.ConsumerSide?
            let audioLevels: AudioLevelObserver
            do {
                if options.usePipeTransports {
                    let consumerMember = await pool.leastLoaded(excluding: member.worker)
                    let consumerRouter = try await consumerMember.worker.createRouter(
                        mediaCodecs: pool.settings.mediaCodecs)
                    consumerSide = Room.ConsumerSide(router: consumerRouter, webRtcServer: consumerMember.webRtcServer)
                }
                audioLevels = try await router.createAudioLevelObserver(Room.audioLevelObserverOptions)
            } catch {
                await router.close()
                await consumerSide?.router.close()
                throw error
            }
            return Room(
                id: roomId, router: router, consumerSide: consumerSide, audioLevels: audioLevels,
                webRtcServer: member.webRtcServer, media: pool.settings,
                configuration: configuration, maxPeerCount: options.maxPeerCount ?? configuration.defaultMaxPeerCount,
                eventNotificationUri: options.eventNotificationUri, logger: logger,
                onClose: { [weak self] room in await self?.roomClosed(room) })
        }
        creations[roomId] = task
        defer { creations[roomId] = nil }
        let room: Room
        do {
            room = try await task.value
        } catch {
            throw RoomError(error)
        }
        rooms[roomId] = room
        await room.start()
        logger.info("room created", metadata: ["roomId": "\(roomId)"])
        scheduleIdleCheck(room)
        return room
    }

    private func scheduleIdleCheck(_ room: Room) {
        let timeout = configuration.idleRoomTimeout
        Task { [weak room] in
            try? await Task.sleep(for: timeout)
            if let room, await room.isUnused { await room.close() }
        }
    }

    private func roomClosed(_ room: Room) {
        if rooms[room.id] === room { rooms[room.id] = nil }
    }

    /// Runs `enter` (adding a peer or broadcaster) on room `roomId`, created when missing and
    /// `create` allows. When that room closed meanwhile — its last participant left just as
    /// this one arrived — `enter` runs again on the room that replaces it instead of failing.
    /// A room made for an `enter` that fails is closed again: a refused request leaves nothing.
    public func enter<Result: Sendable>(
        roomId: String, create: Bool, options: RoomOptions = RoomOptions(),
        _ enter: @Sendable (Room) async throws(RoomError) -> Result
    ) async throws(RoomError) -> Result {
        var attempt = 1
        while true {
            let existed = rooms[roomId] != nil || creations[roomId] != nil
            let room = try await room(id: roomId, create: create, options: options)
            do {
                return try await enter(room)
            } catch {
                if !existed, await room.isUnused { await room.close() }
                guard attempt < 3, await room.isClosed else { throw error }
                // Its own notice of closing may still be on the way: forget it now.
                roomClosed(room)
                attempt += 1
            }
        }
    }

    public func existingRoom(id roomId: String) -> Room? { rooms[roomId] }

    /// Closes a room and everything in it.
    public func closeRoom(id roomId: String) async throws(RoomError) {
        guard let room = rooms[roomId] else { throw .notFound("room with id \"\(roomId)\" not found") }
        await room.close()
    }

    public func summaries() async -> [RoomSummary] {
        var result: [RoomSummary] = []
        for room in rooms.values {
            result.append(RoomSummary(roomId: room.id, peerCount: await room.participantCount, maxPeerCount: room.maxPeerCount))
        }
        return result.sorted { $0.roomId < $1.roomId }
    }

    /// Peers and broadcasters in all rooms (what a graceful drain waits for).
    public func participantCount() async -> Int {
        var total = 0
        for room in rooms.values { total += await room.participantCount }
        return total
    }

    public func closeAll() async {
        for room in Array(rooms.values) { await room.close() }
    }

    /// Room ids are what a client chose (mediasoup-demo takes any text, `team room` or `a:b`
    /// alike), up to 128 characters and without control characters.
    static func validated(_ roomId: String) throws(RoomError) -> String {
        guard roomId.count <= 128, ParticipantIdentifier.isValid(roomId) else {
            throw .invalid("invalid roomId: use 1-128 characters, none of them control characters")
        }
        return roomId
    }

    /// The first 8 characters of a random UUID, as 2060-io's server generates them.
    static func generateId() -> String {
        String(UUID().uuidString.lowercased().prefix(8))
    }
}
