import NIOCore
import STUN
import XCTest

@testable import Turn

/// What the core tests share: a client that drives `TurnServerCore` in memory, requests in and
/// outputs checked.
class TurnCoreTestCase: XCTestCase {
    let realm = "example.org"
    let now = 1_700_000_000
    let client = try! SocketAddress(ipAddress: "198.51.100.7", port: 40000)
    let serverAddress = try! SocketAddress(ipAddress: "203.0.113.1", port: 3478)
    let peer = StunAddress(ipAddress: "192.0.2.50", port: 5000)!

    var tuple: FiveTuple { FiveTuple(client: client, server: serverAddress, transport: .udp) }
    var key: StunIntegrityKey { StunCredentials.longTermKey(username: "alice", realm: realm, password: "secret")! }

    func makeCore(
        quota: AllocationQuota = AllocationQuota(perUser: 10, total: 100), allowed: [IPNetwork] = [],
        secret: String? = "rest-secret", configuration: TurnCoreConfiguration = TurnCoreConfiguration(announcedRelayIP: "203.0.113.1")
    ) -> TurnServerCore {
        TurnServerCore(
            configuration: configuration,
            credentials: TurnCredentialStore(realm: realm, users: ["alice": "secret", "bob": "other"], sharedSecret: secret),
            nonces: NonceIssuer(lifetime: 600),
            policy: PeerAddressPolicy(allowed: allowed, serverAddresses: [[203, 0, 113, 1]]),
            quota: quota, metrics: TurnMetrics(), relayIDs: RelayIDSource())
    }

    // MARK: helpers

    func send(
        _ core: TurnServerCore, _ message: StunMessage, key: StunIntegrityKey? = nil, from tuple: FiveTuple? = nil,
        at time: Int? = nil
    ) throws -> [TurnOutput] {
        var outputs: [TurnOutput] = []
        core.handleClientPacket(
            try message.encoded(integrityKey: key, fingerprint: true), from: tuple ?? self.tuple, now: time ?? now,
            into: &outputs)
        return outputs
    }

    func response(_ outputs: [TurnOutput]) throws -> StunMessage {
        for case .toClient(let bytes, _) in outputs {
            return try StunMessage(decoding: bytes)
        }
        throw XCTSkip("no response in \(outputs)")
    }

    func request(
        _ method: StunMethod, nonce: String, username: String = "alice", _ attributes: [StunAttribute] = []
    ) -> StunMessage {
        StunMessage(
            messageType: StunMessageType(method: method, messageClass: .request),
            attributes: [.username(username), .realm(realm), .nonce(nonce)] + attributes)
    }

    /// Runs the 401 challenge and returns the nonce the server issued.
    func challengeNonce(from core: TurnServerCore) throws -> String {
        let challenge = try response(
            send(core, StunMessage(messageType: StunMessageType(method: .allocate, messageClass: .request), attributes: [.requestedTransport(17)])))
        XCTAssertEqual(challenge.errorCode?.code, 401)
        XCTAssertEqual(challenge.realm, realm)
        return try XCTUnwrap(challenge.nonce)
    }

    /// Allocates for `tuple` and completes the relay bind; returns the relay id.
    @discardableResult
    func allocate(_ core: TurnServerCore, from tuple: FiveTuple? = nil) throws -> RelayID {
        let nonce = try challengeNonce(from: core)
        let outputs = try send(core, request(.allocate, nonce: nonce, [.requestedTransport(17)]), key: key, from: tuple)
        guard case .bindRelay(let relay)? = outputs.first else { throw XCTSkip("expected bindRelay, got \(outputs)") }
        var bound: [TurnOutput] = []
        core.relayBound(relay.id, address: try SocketAddress(ipAddress: "0.0.0.0", port: 50002), now: now, into: &bound)
        let success = try response(bound)
        XCTAssertEqual(success.messageType.messageClass, .successResponse)
        XCTAssertEqual(success.verifyMessageIntegrity(key: key), .valid)
        return relay.id
    }
}
