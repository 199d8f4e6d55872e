import XCTest
@testable import Rooms

/// One media worker and a room registry on it, made afresh for each test.
class RoomTestCase: XCTestCase {
    var pool: MediaWorkerPool!
    var registry: RoomRegistry!

    override func setUp() async throws {
        pool = try await MediaWorkerPool.start(
            settings: MediaSettings(workerCount: 1, listenIP: "127.0.0.1", useWebRtcServer: false))
        registry = RoomRegistry(pool: pool, configuration: RoomsConfiguration())
    }

    override func tearDown() async throws {
        await registry.closeAll()
        await pool.close()
    }
}
