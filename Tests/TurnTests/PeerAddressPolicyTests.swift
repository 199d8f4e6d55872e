import XCTest

@testable import Turn

final class PeerAddressPolicyTests: XCTestCase {
    private func bytes(_ ip: String) -> [UInt8] { IPNetwork.addressBytes(ip)! }

    func testInternalAddressesAreDeniedByDefault() {
        let policy = PeerAddressPolicy(allowed: [], serverAddresses: [bytes("203.0.113.1")])
        for ip in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.1.1", "224.0.0.1", "0.0.0.0",
                   "::1", "fe80::1", "fd00::1", "ff02::1", "203.0.113.1", "100.64.0.1"] {
            XCTAssertFalse(policy.permits(bytes(ip)), ip)
        }
        for ip in ["8.8.8.8", "198.51.100.7", "2001:db8::1"] {
            XCTAssertTrue(policy.permits(bytes(ip)), ip)
        }
    }

    func testAllowedRangesOverrideTheDenyList() {
        let policy = PeerAddressPolicy(allowed: [IPNetwork("127.0.0.0/8")!, IPNetwork("10.0.0.5")!], serverAddresses: [])
        XCTAssertTrue(policy.permits(bytes("127.0.0.1")))
        XCTAssertTrue(policy.permits(bytes("10.0.0.5")))
        XCTAssertFalse(policy.permits(bytes("10.0.0.6")))
    }

    func testAnSfuBesideTheServerIsReachableAtItsMediaPortsOnly() {
        let sfu = bytes("10.0.0.5")
        let policy = PeerAddressPolicy(
            allowed: [], serverAddresses: [sfu],
            mediaEndpoints: [PeerAddressPolicy.Endpoint(address: sfu, ports: [40000...49999, 44444...44445])])
        XCTAssertTrue(policy.permits(sfu), "a permission may be installed")
        XCTAssertTrue(policy.permits(sfu, port: 40000))
        XCTAssertTrue(policy.permits(sfu, port: 44445))
        XCTAssertFalse(policy.permits(sfu, port: 3478), "the TURN listener on the same address")
        XCTAssertFalse(policy.permits(sfu, port: 53))
        XCTAssertFalse(policy.permits(bytes("10.0.0.6")), "its neighbours stay private")
        XCTAssertTrue(policy.permits(bytes("198.51.100.1"), port: 53), "public peers at any port")
        XCTAssertTrue(policy.restrictsPorts)
    }

    func testNetworkParsingAndMatching() {
        XCTAssertNil(IPNetwork("10.0.0.0/33"))
        XCTAssertNil(IPNetwork("nonsense"))
        XCTAssertEqual(IPNetwork("10.1.2.3/8")?.description, "10.0.0.0/8")
        XCTAssertTrue(IPNetwork("2001:db8::/32")!.contains(bytes("2001:db8:ffff::1")))
        XCTAssertFalse(IPNetwork("2001:db8::/32")!.contains(bytes("10.0.0.1")), "families never match")
        XCTAssertTrue(IPNetwork("0.0.0.0/0")!.contains(bytes("1.2.3.4")))
    }

    func testNoncesAreStatelessAndExpire() {
        let issuer = NonceIssuer(lifetime: 10)
        let nonce = issuer.makeNonce(now: 100)
        XCTAssertEqual(issuer.check(nonce, now: 105), .valid)
        XCTAssertEqual(issuer.check(nonce, now: 111), .stale)
        XCTAssertEqual(NonceIssuer(lifetime: 10).check(nonce, now: 105), .invalid, "another key")
        XCTAssertEqual(issuer.check("garbage", now: 105), .invalid)
    }
}
