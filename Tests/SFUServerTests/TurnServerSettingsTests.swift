import XCTest

@testable import Turn
@testable import sfu_server

/// What TURN beside the SFU lets its clients reach on the SFU's own address.
final class TurnServerSettingsTests: XCTestCase {
    private let host = HostFacts(
        coreCount: 2, hostName: "media-1", primaryAddress: ("192.0.2.10", "eth0"), makeSecret: { "generated-secret" })

    /// A media range that takes in TURN's listening port leaves it out (a client relaying to it
    /// would chain allocations); relay ports among the media ports stay reachable, as media
    /// transports may be bound there, and are reported as overlapping.
    func testTurnsListeningPortIsNotReachableAmongTheMediaPorts() throws {
        let configuration = try ConfigurationLoader.load(
            options: try SettingOptions.parse([]),
            environment: [
                "MEDIASOUP_ANNOUNCED_IP": "203.0.113.7", "MEDIASOUP_MIN_PORT": "3000", "MEDIASOUP_MAX_PORT": "59999",
                "SFU_WEBRTC_SERVER_PORT": "49999", "MEDIASOUP_NUM_WORKERS": "2",
            ],
            host: host)
        let endpoints = TurnServerConfiguration.sfuMediaEndpoints(configuration)
        XCTAssertEqual(endpoints.map(\.address), [[203, 0, 113, 7]])
        XCTAssertEqual(endpoints.first?.ports, [3000...3477, 3479...59999, 49999...50000])
        XCTAssertEqual(configuration.mediaPortsAmongRelayPorts, [3000...59999, 49999...50000])
    }

    func testRemovingAHoleLeavesWhatIsOnEitherSide() {
        XCTAssertEqual((10...20).removing(30...40), [10...20])
        XCTAssertEqual((10...20).removing(15...15), [10...14, 16...20])
        XCTAssertEqual((10...20).removing(5...12), [13...20])
        XCTAssertEqual((10...20).removing(18...25), [10...17])
        XCTAssertEqual((10...20).removing(0...30), [])
    }
}
