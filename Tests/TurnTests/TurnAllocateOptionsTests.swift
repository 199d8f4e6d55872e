import NIOCore
import STUN
import Synchronization
import XCTest

@testable import Turn

/// The Allocate attributes that shape the relay: EVEN-PORT, RESERVATION-TOKEN, DONT-FRAGMENT and
/// the address families (RFC 8656 §7.2).
final class TurnAllocateOptionsTests: TurnCoreTestCase {
    /// Sends an authenticated Allocate with `attributes` and returns the outputs.
    private func allocate(
        _ core: TurnServerCore, _ attributes: [StunAttribute], from tuple: FiveTuple? = nil
    ) throws -> [TurnOutput] {
        let nonce = try challengeNonce(from: core)
        return try send(core, request(.allocate, nonce: nonce, [.requestedTransport(17)] + attributes), key: key, from: tuple)
    }

    private func bound(_ core: TurnServerCore, _ relay: RelayRequest, port: Int) throws -> StunMessage {
        var outputs: [TurnOutput] = []
        core.relayBound(relay.id, address: try SocketAddress(ipAddress: "0.0.0.0", port: port), now: now, into: &outputs)
        return try response(outputs)
    }

    func testEvenPortWithReserveBitHoldsTheNextPortUnderTheTokenItAnswers() throws {
        let core = makeCore()
        guard case .bindRelay(let relay)? = try allocate(core, [.evenPort(reserveNextPort: true)]).first else {
            return XCTFail("no relay bound")
        }
        guard case .evenHoldingNext(let token, let holder) = relay.port else { return XCTFail("\(relay.port)") }
        XCTAssertEqual(holder, "alice")
        let success = try bound(core, relay, port: 50002)
        XCTAssertEqual(success.messageType.messageClass, .successResponse)
        XCTAssertEqual(success.reservationToken, token)

        // The RTCP allocation, from the client's next port, presents the token.
        let rtcpTuple = FiveTuple(
            client: try SocketAddress(ipAddress: "198.51.100.7", port: 40001), server: serverAddress, transport: .udp)
        guard case .bindRelay(let held)? = try allocate(core, [.reservationToken(token)], from: rtcpTuple).first else {
            return XCTFail("no relay bound for the token")
        }
        XCTAssertEqual(held.port, .held(token: token))
    }

    func testEvenPortWithoutReserveBitAsksForAnEvenPortOnly() throws {
        let core = makeCore()
        guard case .bindRelay(let relay)? = try allocate(core, [.evenPort(reserveNextPort: false)]).first else {
            return XCTFail("no relay bound")
        }
        XCTAssertEqual(relay.port, .even)
        XCTAssertNil(try bound(core, relay, port: 50002).reservationToken)
    }

    func testATokenThatHoldsNoPortIs508() throws {
        let core = makeCore()
        guard case .bindRelay(let relay)? = try allocate(core, [.reservationToken(42)]).first else {
            return XCTFail("no relay bound")
        }
        var outputs: [TurnOutput] = []
        core.relayBindFailed(relay.id, into: &outputs)
        XCTAssertEqual(try response(outputs).errorCode?.code, 508)
        XCTAssertEqual(core.allocationCount, 0)
    }

    func testATokenWithEvenPortOrAnAddressFamilyIs400() throws {
        let core = makeCore()
        for extra: StunAttribute in [.evenPort(reserveNextPort: false), .requestedAddressFamily(.ipv4)] {
            let reply = try response(allocate(core, [.reservationToken(42), extra]))
            XCTAssertEqual(reply.errorCode?.code, 400, "\(extra)")
        }
    }

    func testAdditionalIPv6FamilyGetsTheIPv4RelayAndAnAddressErrorCode() throws {
        let core = makeCore()
        guard case .bindRelay(let relay)? = try allocate(core, [.additionalAddressFamily(.ipv6)]).first else {
            return XCTFail("no relay bound")
        }
        XCTAssertEqual(relay.family, .ipv4)
        let success = try bound(core, relay, port: 50002)
        XCTAssertEqual(success.messageType.messageClass, .successResponse)
        XCTAssertTrue(
            success.attributes.contains(.addressErrorCode(family: .ipv6, error: .addressFamilyNotSupported)),
            "\(success.attributes)")
    }

    func testAdditionalFamilyIPv4OrBesideARequestedFamilyIs400() throws {
        let core = makeCore()
        XCTAssertEqual(try response(allocate(core, [.additionalAddressFamily(.ipv4)])).errorCode?.code, 400)
        XCTAssertEqual(
            try response(allocate(core, [.additionalAddressFamily(.ipv6), .requestedAddressFamily(.ipv4)])).errorCode?.code,
            400)
    }

    /// As coturn: a dual allocation neither reserves a port nor takes a held one.
    func testAdditionalFamilyReservingAPortOrWithATokenIs400() throws {
        let core = makeCore()
        for extra: StunAttribute in [.evenPort(reserveNextPort: true), .reservationToken(7)] {
            let reply = try response(allocate(core, [.additionalAddressFamily(.ipv6), extra]))
            XCTAssertEqual(reply.errorCode?.code, 400, "\(extra)")
        }
        guard case .bindRelay? = try allocate(core, [.additionalAddressFamily(.ipv6), .evenPort(reserveNextPort: false)]).first else {
            return XCTFail("an even port without a reservation is served beside a dual allocation, as coturn does")
        }
    }

    func testAnIPv6OnlyRelayRefusesIPv4With440AndServesIPv6() throws {
        var configuration = TurnCoreConfiguration(announcedRelayIP: "2001:db8::1")
        configuration.supportsIPv6Relay = true
        let core = makeCore(configuration: configuration)
        XCTAssertEqual(try response(allocate(core, [])).errorCode?.code, 440)
        guard case .bindRelay(let relay)? = try allocate(core, [.requestedAddressFamily(.ipv6)]).first else {
            return XCTFail("no relay bound")
        }
        XCTAssertEqual(relay.family, .ipv6)
    }

    func testADrainingServerSpreadsNewAllocationsOverAlternatesOfTheClientsFamily() throws {
        let draining = DrainFlag()
        var configuration = TurnCoreConfiguration(announcedRelayIP: "203.0.113.1")
        let (first, second) = (StunAddress(ipAddress: "203.0.113.7", port: 3478)!, StunAddress(ipAddress: "203.0.113.8", port: 3479)!)
        configuration.alternateServers = [StunAddress(ipAddress: "2001:db8::7", port: 3478)!, first, second]
        let core = TurnServerCore(
            configuration: configuration,
            credentials: TurnCredentialStore(realm: realm, users: ["alice": "secret"], sharedSecret: nil),
            nonces: NonceIssuer(lifetime: 600), policy: PeerAddressPolicy(allowed: [], serverAddresses: []),
            quota: AllocationQuota(perUser: 10, total: 100), metrics: TurnMetrics(), relayIDs: RelayIDSource(),
            isDraining: { draining.isSet })
        try allocateAndBind(core)
        draining.set()

        func redirect(from port: Int) throws -> StunAddress? {
            let other = FiveTuple(client: try SocketAddress(ipAddress: "198.51.100.7", port: port), server: serverAddress, transport: .udp)
            let reply = try response(allocate(core, [], from: other))
            XCTAssertEqual(reply.errorCode?.code, 300)
            XCTAssertEqual(reply.verifyMessageIntegrity(key: key), .valid)
            return reply.attributes.lazy.compactMap { if case .alternateServer(let address) = $0 { address } else { nil } }.first
        }
        let redirected = try (40001...40020).map(redirect(from:))
        XCTAssertEqual(Set(redirected), [first, second], "IPv4 clients go to the IPv4 alternates, both used")
        XCTAssertEqual(try redirect(from: 40001), redirected[0], "a client asking again goes where it went")
        // The allocation made before the drain carries on.
        let nonce = try challengeNonce(from: core)
        let refresh = try response(send(core, request(.refresh, nonce: nonce, [.lifetime(600)]), key: key))
        XCTAssertEqual(refresh.messageType.messageClass, .successResponse)
    }

    func testADrainingServerWithoutAnAlternateRefusesNewAllocationsWith508() throws {
        let core = TurnServerCore(
            configuration: TurnCoreConfiguration(announcedRelayIP: "203.0.113.1"),
            credentials: TurnCredentialStore(realm: realm, users: ["alice": "secret"], sharedSecret: nil),
            nonces: NonceIssuer(lifetime: 600), policy: PeerAddressPolicy(allowed: [], serverAddresses: []),
            quota: AllocationQuota(perUser: 10, total: 100), metrics: TurnMetrics(), relayIDs: RelayIDSource(),
            isDraining: { true })
        XCTAssertEqual(try response(allocate(core, [])).errorCode?.code, 508)
    }

    private func allocateAndBind(_ core: TurnServerCore) throws {
        guard case .bindRelay(let relay)? = try allocate(core, []).first else { return XCTFail("no relay bound") }
        XCTAssertEqual(try bound(core, relay, port: 50002).messageType.messageClass, .successResponse)
    }

    func testDontFragmentIsPassedToTheRelay() throws {
        let core = makeCore()
        guard case .bindRelay(let relay)? = try allocate(core, [.dontFragment]).first else { return XCTFail("no relay bound") }
        XCTAssertTrue(relay.dontFragment)
    }
}

/// A drain switch a test flips while the core reads it.
private final class DrainFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
