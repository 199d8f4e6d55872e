import NIOCore
import XCTest

@testable import STUN

final class StunAddressTests: XCTestCase {
    func testIPv4FormatsAsDottedQuadWithPort() {
        let address = StunAddress(ipv4: 0xC000_0201, port: 32853)

        XCTAssertEqual(address.description, "192.0.2.1:32853")
        XCTAssertEqual(address.ipBytes, [192, 0, 2, 1])
        XCTAssertEqual(address.ipv4, 0xC000_0201)
    }

    func testIPv6FormatsPerRFC5952() throws {
        let cases: [(String, String)] = [
            ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
            ("0:0:0:0:0:0:0:0", "::"),
            ("::1", "::1"),
            ("1::", "1::"),
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("FE80::ABCD", "fe80::abcd"),
            ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ]
        for (input, expected) in cases {
            let address = try XCTUnwrap(StunAddress(ipAddress: input, port: 3478), input)
            XCTAssertEqual(address.family, .ipv6)
            XCTAssertEqual(address.ipString, expected, input)
            XCTAssertEqual(address.description, "[\(expected)]:3478")
        }
    }

    func testTextThatIsNotANumericAddressIsRejected() {
        XCTAssertNil(StunAddress(ipAddress: "turn.example.org", port: 3478))
        XCTAssertNil(StunAddress(ipAddress: "192.0.2.256", port: 3478))
    }

    func testIPBytesMustBeFourOrSixteen() {
        XCTAssertNil(StunAddress(ipBytes: [1, 2, 3], port: 1))
        XCTAssertNil(StunAddress(ipBytes: [UInt8](repeating: 0, count: 5), port: 1))
        XCTAssertEqual(StunAddress(ipBytes: [10, 0, 0, 1], port: 1), StunAddress(ipv4: 0x0A00_0001, port: 1))
        let ipv6Bytes: [UInt8] = Array(1...16)
        XCTAssertEqual(StunAddress(ipBytes: ipv6Bytes, port: 2)?.ipBytes, ipv6Bytes)
    }

    func testSocketAddressConversionRoundTrips() throws {
        for (ip, port) in [("203.0.113.7", 1), ("2001:db8::42", 65535), ("::", 0)] {
            let socketAddress = try SocketAddress(ipAddress: ip, port: port)
            let address = try XCTUnwrap(StunAddress(socketAddress))

            XCTAssertEqual(Int(address.port), port)
            XCTAssertEqual(address.socketAddress, socketAddress)
            XCTAssertEqual(address.socketAddress.ipAddress, socketAddress.ipAddress)
            XCTAssertEqual(address.socketAddress.port, port)
        }
    }

    func testUnixSocketAddressesHaveNoStunForm() throws {
        XCTAssertNil(StunAddress(try SocketAddress(unixDomainSocketPath: "/tmp/stun.sock")))
    }

    func testXorTransformIsItsOwnInverseAndMixesTheTransactionIDIntoIPv6() throws {
        let transactionID = try XCTUnwrap(StunTransactionID(bytes: RFC5769.transactionID))
        let otherID = try XCTUnwrap(StunTransactionID(bytes: [UInt8](repeating: 0, count: 12)))
        let ipv6 = try XCTUnwrap(StunAddress(ipAddress: "2001:db8::1", port: 443))
        let ipv4 = StunAddress(ipv4: 0x7F00_0001, port: 443)

        XCTAssertEqual(ipv6.xored(with: transactionID).xored(with: transactionID), ipv6)
        XCTAssertEqual(ipv4.xored(with: transactionID).xored(with: transactionID), ipv4)
        XCTAssertNotEqual(ipv6.xored(with: transactionID), ipv6.xored(with: otherID))
        XCTAssertEqual(ipv4.xored(with: transactionID), ipv4.xored(with: otherID))
    }

    func testTransactionIDRoundTripsItsBytes() throws {
        var generator = SeededGenerator(seed: 1)
        let random = StunTransactionID.random(using: &generator)

        XCTAssertEqual(StunTransactionID(bytes: random.bytes), random)
        XCTAssertEqual(try XCTUnwrap(StunTransactionID(bytes: RFC5769.transactionID)).description, "b7e7a701bc34d686fa87dfae")
        XCTAssertNil(StunTransactionID(bytes: [1, 2, 3]))
        XCTAssertNotEqual(StunTransactionID.random(), StunTransactionID.random())
    }
}
