import NIOCore
import XCTest

@testable import Turn

/// Wildcard listen addresses stand for the host's own addresses, as coturn binds them.
final class ListenAddressesTests: XCTestCase {
    private let host = [
        try! SocketAddress(ipAddress: "127.0.0.1", port: 0), try! SocketAddress(ipAddress: "192.0.2.10", port: 0),
        try! SocketAddress(ipAddress: "::1", port: 0), try! SocketAddress(ipAddress: "fe80::1", port: 0),
        try! SocketAddress(ipAddress: "2001:db8::10", port: 0), try! SocketAddress(ipAddress: "192.0.2.10", port: 0),
    ]

    func testWildcardsStandForTheHostsAddressesOfTheirFamily() {
        XCTAssertEqual(ListenAddresses.standingFor("0.0.0.0", interfaceAddresses: host), ["127.0.0.1", "192.0.2.10"])
        XCTAssertEqual(ListenAddresses.standingFor("::", interfaceAddresses: host), ["::1", "2001:db8::10"])
    }

    func testAWildcardStandsForNothingOnAHostWithoutAddressesOfItsFamily() {
        XCTAssertEqual(ListenAddresses.standingFor("::", interfaceAddresses: Array(host.prefix(2))), [])
        XCTAssertTrue(ListenAddresses.isWildcard("::") && ListenAddresses.isWildcard("0.0.0.0"))
        XCTAssertFalse(ListenAddresses.isWildcard("192.0.2.99"))
    }
}
