import NIOCore
import STUN
import XCTest

@testable import Turn

/// TURN REST API credentials (coturn's `use-auth-secret`) beyond their first use: expiry during
/// an allocation, the per-user quota, and coturn's two username orders.
final class TurnRestCredentialTests: TurnCoreTestCase {
    private let store = TurnCredentialStore(realm: "example.org", users: [:], sharedSecret: "rest-secret")

    private func restKey(_ username: String) -> StunIntegrityKey {
        let password = TurnCredentialStore.restPassword(username: username, secret: Array("rest-secret".utf8))
        return StunCredentials.longTermKey(username: username, realm: realm, password: password)!
    }

    private func tuple(port: Int) throws -> FiveTuple {
        FiveTuple(client: try SocketAddress(ipAddress: "198.51.100.9", port: port), server: serverAddress, transport: .udp)
    }

    /// Allocates with `username` from `tuple` and binds the relay; answers the success response.
    private func allocate(_ core: TurnServerCore, username: String, from tuple: FiveTuple) throws -> StunMessage {
        let nonce = try challengeNonce(from: core)
        let outputs = try send(
            core, request(.allocate, nonce: nonce, username: username, [.requestedTransport(17)]), key: restKey(username),
            from: tuple)
        guard case .bindRelay(let relay)? = outputs.first else { return try response(outputs) }
        var bound: [TurnOutput] = []
        core.relayBound(relay.id, address: try SocketAddress(ipAddress: "0.0.0.0", port: 50_010), now: now, into: &bound)
        return try response(bound)
    }

    /// coturn checks the expiry when the allocation is made and then verifies with the key it
    /// kept: a browser's relay must not die (a 401 on Refresh is fatal to libwebrtc) when the
    /// credential it was given expires during the call.
    func testAnAllocationOutlivesItsCredentialsExpiry() throws {
        let core = makeCore()
        let username = "\(now + 60):carol"
        let client = try tuple(port: 41_000)
        XCTAssertEqual(try allocate(core, username: username, from: client).messageType.messageClass, .successResponse)
        let later = now + 3_000
        var outputs: [TurnOutput] = []
        core.handleClientPacket(
            try StunMessage(messageType: StunMessageType(method: .refresh, messageClass: .request), attributes: [])
                .encoded(fingerprint: true), from: client, now: later, into: &outputs)
        let nonce = try XCTUnwrap(try response(outputs).nonce)
        let refresh = try response(
            send(core, request(.refresh, nonce: nonce, username: username, [.lifetime(600)]), key: restKey(username), from: client, at: later))
        XCTAssertEqual(refresh.messageType.messageClass, .successResponse)
        XCTAssertEqual(refresh.verifyMessageIntegrity(key: restKey(username)), .valid)
        let permission = try response(
            send(core, request(.createPermission, nonce: nonce, username: username, [.xorPeerAddress(peer)]), key: restKey(username),
                from: client, at: later))
        XCTAssertEqual(permission.messageType.messageClass, .successResponse)

        // A new allocation with the expired credential is refused.
        let elsewhere = try tuple(port: 41_001)
        let refused = try response(
            send(core, request(.allocate, nonce: nonce, username: username, [.requestedTransport(17)]), key: restKey(username),
                from: elsewhere, at: later))
        XCTAssertEqual(refused.errorCode?.code, 401)
    }

    /// The per-user quota counts the user of REST credentials, not each credential: the SFU hands
    /// a new one to every transport.
    func testThePerUserQuotaCountsTheUserOfRestCredentials() throws {
        let core = makeCore(quota: AllocationQuota(perUser: 2, total: 100))
        XCTAssertEqual(
            try allocate(core, username: "\(now + 100):dave", from: tuple(port: 42_000)).messageType.messageClass, .successResponse)
        XCTAssertEqual(
            try allocate(core, username: "\(now + 200):dave", from: tuple(port: 42_001)).messageType.messageClass, .successResponse)
        XCTAssertEqual(try allocate(core, username: "\(now + 300):dave", from: tuple(port: 42_002)).errorCode?.code, 486)
        XCTAssertEqual(
            try allocate(core, username: "\(now + 300):erin", from: tuple(port: 42_003)).messageType.messageClass, .successResponse)
        XCTAssertEqual(store.quotaUser(of: "\(now):dave"), "dave")
        XCTAssertEqual(store.quotaUser(of: "dave:\(now)"), "dave")
        XCTAssertEqual(store.quotaUser(of: "\(now)"), "\(now)")
    }

    /// coturn reads `<user>:<expiry>` as well as `<expiry>:<user>`.
    func testUsernamesWithTheUserFirstAreAccepted() throws {
        XCTAssertEqual(TurnCredentialStore.expiry(ofRestUsername: "frank:1700000100"), 1_700_000_100)
        XCTAssertEqual(TurnCredentialStore.expiry(ofRestUsername: "1700000100:frank"), 1_700_000_100)
        XCTAssertEqual(TurnCredentialStore.expiry(ofRestUsername: "1700000100"), 1_700_000_100)
        XCTAssertNil(TurnCredentialStore.expiry(ofRestUsername: "frank"))
        XCTAssertNil(TurnCredentialStore.expiry(ofRestUsername: "frank:soon"))
        XCTAssertNil(TurnCredentialStore.expiry(ofRestUsername: "+1700000100"))
        let core = makeCore()
        XCTAssertEqual(
            try allocate(core, username: "frank:\(now + 60)", from: tuple(port: 43_000)).messageType.messageClass, .successResponse)
        XCTAssertEqual(try allocate(core, username: "frank:\(now - 1)", from: tuple(port: 43_001)).errorCode?.code, 401)
    }
}
