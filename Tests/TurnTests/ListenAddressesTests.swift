import NIOCore
import XCTest

@testable import Turn

/// Wildcard listen addresses become the host's own addresses, as coturn binds them.
final class ListenAddressesTests: XCTestCase {
    private let host = [
        try! SocketAddress(ipAddress: "127.0.0.1", port: 0), try! SocketAddress(ipAddress: "192.0.2.10", port: 0),
        try! SocketAddress(ipAddress: "::1", port: 0), try! SocketAddress(ipAddress: "fe80::1", port: 0),
        try! SocketAddress(ipAddress: "2001:db8::10", port: 0), try! SocketAddress(ipAddress: "192.0.2.10", port: 0),
    ]

    func testWildcardsExpandToTheHostsAddressesOfTheirFamily() {
        XCTAssertEqual(
            ListenAddresses.expanding(["0.0.0.0", "::"], interfaceAddresses: host),
            ["127.0.0.1", "192.0.2.10", "::1", "2001:db8::10"])
    }

    func testASpecificAddressStaysAndAWildcardWithoutAddressesStandsForItself() {
        XCTAssertEqual(ListenAddresses.expanding(["192.0.2.99"], interfaceAddresses: host), ["192.0.2.99"])
        XCTAssertEqual(ListenAddresses.expanding(["::"], interfaceAddresses: Array(host.prefix(2))), ["::"])
    }
}
