import NIOCore
import STUN
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
        guard case .evenHoldingNext(let token) = relay.port else { return XCTFail("\(relay.port)") }
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

    func testDontFragmentIsPassedToTheRelay() throws {
        let core = makeCore()
        guard case .bindRelay(let relay)? = try allocate(core, [.dontFragment]).first else { return XCTFail("no relay bound") }
        XCTAssertTrue(relay.dontFragment)
    }
}
