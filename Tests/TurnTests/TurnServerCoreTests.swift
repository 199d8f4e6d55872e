import NIOCore
import STUN
import XCTest

@testable import Turn

/// Drives `TurnServerCore` as a client would, in memory: requests in, outputs checked.
final class TurnServerCoreTests: TurnCoreTestCase {
    // MARK: tests

    func testBindingAnswersMappedAddressWithoutAuthentication() throws {
        let core = makeCore()
        let reply = try response(send(core, StunMessage(messageType: StunMessageType(method: .binding, messageClass: .request))))
        XCTAssertEqual(reply.messageType.messageClass, .successResponse)
        XCTAssertEqual(reply.xorMappedAddress, StunAddress(client))
        XCTAssertEqual(reply.verifyFingerprint(), .valid)
    }

    func testAllocateReturnsRelayedAndMappedAddressesAndLifetime() throws {
        let core = makeCore()
        let nonce = try challengeNonce(from: core)
        let outputs = try send(core, request(.allocate, nonce: nonce, [.requestedTransport(17), .lifetime(30)]), key: key)
        guard case .bindRelay(let relay)? = outputs.first else { return XCTFail("\(outputs)") }
        XCTAssertEqual(relay.port, .any)
        var bound: [TurnOutput] = []
        core.relayBound(relay.id, address: try SocketAddress(ipAddress: "0.0.0.0", port: 50002), now: now, into: &bound)
        let success = try response(bound)
        XCTAssertEqual(success.xorRelayedAddress, StunAddress(ipAddress: "203.0.113.1", port: 50002))
        XCTAssertEqual(success.xorMappedAddress, StunAddress(client))
        XCTAssertEqual(success.lifetime, 600, "a lifetime below the default is raised to it")
        XCTAssertEqual(core.allocationCount, 1)
    }

    func testRetransmittedAllocateGetsTheSameResponseAndAnotherGets437() throws {
        let core = makeCore()
        let nonce = try challengeNonce(from: core)
        let allocate = request(.allocate, nonce: nonce, [.requestedTransport(17)])
        guard case .bindRelay(let relay)? = try send(core, allocate, key: key).first else { return XCTFail() }
        var bound: [TurnOutput] = []
        core.relayBound(relay.id, address: try SocketAddress(ipAddress: "0.0.0.0", port: 50002), now: now, into: &bound)
        let first = try response(bound)
        XCTAssertEqual(try response(send(core, allocate, key: key)), first)
        let second = try response(send(core, request(.allocate, nonce: nonce, [.requestedTransport(17)]), key: key))
        XCTAssertEqual(second.errorCode?.code, 437)
    }

    func testWrongPasswordIs401AndCounted() throws {
        let core = makeCore()
        let nonce = try challengeNonce(from: core)
        let wrongKey = StunCredentials.longTermKey(username: "alice", realm: realm, password: "guess")!
        let reply = try response(send(core, request(.allocate, nonce: nonce, [.requestedTransport(17)]), key: wrongKey))
        XCTAssertEqual(reply.errorCode?.code, 401)
        XCTAssertNotNil(reply.nonce)
    }

    func testStaleNonceIs438WithAFreshNonce() throws {
        let core = makeCore()
        let nonce = try challengeNonce(from: core)
        let reply = try response(
            send(core, request(.allocate, nonce: nonce, [.requestedTransport(17)]), key: key, at: now + 601))
        XCTAssertEqual(reply.errorCode?.code, 438)
        XCTAssertNotEqual(reply.nonce, nonce)
    }

    func testForgedNonceIs401() throws {
        let core = makeCore()
        let reply = try response(send(core, request(.allocate, nonce: "ffffffff-0123456789ab", [.requestedTransport(17)]), key: key))
        XCTAssertEqual(reply.errorCode?.code, 401)
    }

    func testMissingOrWrongTransportIsRejected() throws {
        let core = makeCore()
        let nonce = try challengeNonce(from: core)
        XCTAssertEqual(try response(send(core, request(.allocate, nonce: nonce), key: key)).errorCode?.code, 400)
        XCTAssertEqual(
            try response(send(core, request(.allocate, nonce: nonce, [.requestedTransport(6)]), key: key)).errorCode?.code, 442)
        XCTAssertEqual(core.allocationCount, 0)
    }

    func testIPv6RelayIsRefusedWhenNotSupported() throws {
        let core = makeCore()
        let nonce = try challengeNonce(from: core)
        let reply = try response(
            send(core, request(.allocate, nonce: nonce, [.requestedTransport(17), .requestedAddressFamily(.ipv6)]), key: key))
        XCTAssertEqual(reply.errorCode?.code, 440)
    }

    func testAnUnknownRequestedFamilyIs440ForAllocateAnd400Otherwise() throws {
        let core = makeCore()
        for (method, expected): (UInt16, UInt16) in [(0x0003, 440), (0x0004, 400)] {
            var bytes: [UInt8] = [UInt8(method >> 8), UInt8(method & 0xFF), 0, 8, 0x21, 0x12, 0xA4, 0x42]
            bytes += Array(repeating: 7, count: 12) + [0x00, 0x17, 0, 4, 3, 0, 0, 0]
            var outputs: [TurnOutput] = []
            core.handleClientPacket(ByteBuffer(bytes: bytes), from: tuple, now: now, into: &outputs)
            XCTAssertEqual(try response(outputs).errorCode?.code, expected)
        }
        XCTAssertEqual(core.allocationCount, 0)
    }

    func testUserQuotaIs486() throws {
        let core = makeCore(quota: AllocationQuota(perUser: 1, total: 10))
        try allocate(core)
        let other = FiveTuple(client: try SocketAddress(ipAddress: "198.51.100.7", port: 40001), server: serverAddress, transport: .udp)
        let nonce = try challengeNonce(from: core)
        let reply = try response(send(core, request(.allocate, nonce: nonce, [.requestedTransport(17)]), key: key, from: other))
        XCTAssertEqual(reply.errorCode?.code, 486)
    }

    func testZeroQuotaMeansNoLimit() {
        let quota = AllocationQuota(perUser: 0, total: 0)
        for _ in 0..<1000 { XCTAssertEqual(quota.reserve(for: "alice"), .granted) }
        XCTAssertEqual(quota.current, 1000)
    }

    func testRestApiCredentialsWorkUntilTheyExpire() throws {
        let core = makeCore()
        let store = TurnCredentialStore(realm: realm, users: [:], sharedSecret: "rest-secret")
        let credentials = try XCTUnwrap(store.ephemeralCredentials(user: "carol", lifetime: 60, now: now))
        XCTAssertTrue(credentials.username.hasSuffix(":carol"))
        let restKey = StunCredentials.longTermKey(username: credentials.username, realm: realm, password: credentials.password)!
        let nonce = try challengeNonce(from: core)
        let allocate = request(.allocate, nonce: nonce, username: credentials.username, [.requestedTransport(17)])
        guard case .bindRelay? = try send(core, allocate, key: restKey).first else { return XCTFail("REST credentials refused") }
        let expired = try response(send(core, allocate, key: restKey, from: FiveTuple(client: try SocketAddress(ipAddress: "198.51.100.8", port: 1), server: serverAddress, transport: .udp), at: now + 61))
        XCTAssertEqual(expired.errorCode?.code, 401)
    }

    func testCreatePermissionToDeniedPeerIs403AndAllowedRangeWorks() throws {
        let core = makeCore()
        try allocate(core)
        let nonce = try challengeNonce(from: core)
        let loopback = StunAddress(ipAddress: "127.0.0.1", port: 9)!
        let denied = try response(send(core, request(.createPermission, nonce: nonce, [.xorPeerAddress(loopback)]), key: key))
        XCTAssertEqual(denied.errorCode?.code, 403)

        let permissive = makeCore(allowed: [IPNetwork("127.0.0.0/8")!])
        try allocate(permissive)
        let permissiveNonce = try challengeNonce(from: permissive)
        let allowed = try response(
            send(permissive, request(.createPermission, nonce: permissiveNonce, [.xorPeerAddress(loopback)]), key: key))
        XCTAssertEqual(allowed.messageType.messageClass, .successResponse)
    }

    func testRequestsOnAnotherUsersAllocationAre441AndWithoutAllocation437() throws {
        let core = makeCore()
        let nonce = try challengeNonce(from: core)
        XCTAssertEqual(
            try response(send(core, request(.refresh, nonce: nonce), key: key)).errorCode?.code, 437)
        try allocate(core)
        let bobKey = StunCredentials.longTermKey(username: "bob", realm: realm, password: "other")!
        XCTAssertEqual(
            try response(send(core, request(.refresh, nonce: nonce, username: "bob"), key: bobKey)).errorCode?.code, 441)
    }

    func testChannelDataRelaysToTheBoundPeerAndPeerDataComesBackAsChannelData() throws {
        let core = makeCore()
        let relay = try allocate(core)
        let nonce = try challengeNonce(from: core)
        let bind = try response(
            send(core, request(.channelBind, nonce: nonce, [.channelNumber(0x4001), .xorPeerAddress(peer)]), key: key))
        XCTAssertEqual(bind.messageType.messageClass, .successResponse)

        var frame = ByteBuffer()
        ChannelData(channelNumber: 0x4001, payload: ByteBuffer(string: "hello"))!.encode(into: &frame, padded: false)
        var outputs: [TurnOutput] = []
        core.handleClientPacket(frame, from: tuple, now: now, into: &outputs)
        guard case .toPeer(let payload, let relayID, let destination)? = outputs.first else { return XCTFail("\(outputs)") }
        XCTAssertEqual(String(buffer: payload), "hello")
        XCTAssertEqual(relayID, relay)
        XCTAssertEqual(destination, peer.socketAddress)

        guard case .toClient(let back, _)? = core.handlePeerPacket(ByteBuffer(string: "world"), from: peer.socketAddress, relay: relay, now: now)
        else { return XCTFail("peer data not relayed") }
        let channelData = try ChannelData(decoding: back)
        XCTAssertEqual(channelData.channelNumber, 0x4001)
        XCTAssertEqual(String(buffer: channelData.payload), "world")
    }

    func testAnAllocationsBandwidthCapDropsWhatExceedsItEachSecondEachWay() throws {
        var configuration = TurnCoreConfiguration(announcedRelayIP: "203.0.113.1")
        configuration.maxBytesPerSecond = 10
        let core = makeCore(configuration: configuration)
        let relay = try allocate(core)
        let nonce = try challengeNonce(from: core)
        _ = try send(core, request(.channelBind, nonce: nonce, [.channelNumber(0x4001), .xorPeerAddress(peer)]), key: key)
        var frame = ByteBuffer()
        ChannelData(channelNumber: 0x4001, payload: ByteBuffer(string: "123456"))!.encode(into: &frame, padded: false)

        func relayedToPeer(at time: Int) -> Bool {
            var outputs: [TurnOutput] = []
            core.handleClientPacket(frame, from: tuple, now: time, into: &outputs)
            return outputs.contains { if case .toPeer = $0 { true } else { false } }
        }
        func relayedToClient(at time: Int) -> Bool {
            core.handlePeerPacket(ByteBuffer(string: "abcdef"), from: peer.socketAddress, relay: relay, now: time) != nil
        }
        XCTAssertEqual([relayedToPeer(at: now), relayedToPeer(at: now), relayedToPeer(at: now + 1)], [true, false, true])
        XCTAssertEqual(
            [relayedToClient(at: now), relayedToClient(at: now), relayedToClient(at: now + 1)], [true, false, true],
            "each direction has its own allowance")
    }

    func testChannelBindRulesAreEnforced() throws {
        let core = makeCore()
        try allocate(core)
        let nonce = try challengeNonce(from: core)
        XCTAssertEqual(
            try response(send(core, request(.channelBind, nonce: nonce, [.channelNumber(0x3FFF), .xorPeerAddress(peer)]), key: key)).errorCode?.code, 400)
        _ = try send(core, request(.channelBind, nonce: nonce, [.channelNumber(0x4001), .xorPeerAddress(peer)]), key: key)
        let otherPeer = StunAddress(ipAddress: "192.0.2.51", port: 5000)!
        let channelTaken = try response(
            send(core, request(.channelBind, nonce: nonce, [.channelNumber(0x4001), .xorPeerAddress(otherPeer)]), key: key))
        XCTAssertEqual(channelTaken.errorCode?.code, 400, "a channel stays bound to its peer")
        XCTAssertEqual(channelTaken.errorCode?.reason, "Bad Request: the channel number is bound to another peer")
        let peerTaken = try response(
            send(core, request(.channelBind, nonce: nonce, [.channelNumber(0x7FFF), .xorPeerAddress(peer)]), key: key))
        XCTAssertEqual(peerTaken.errorCode?.code, 400, "a peer stays bound to its channel")
        XCTAssertEqual(peerTaken.errorCode?.reason, "Bad Request: the peer is bound to another channel number")
        let portZero = StunAddress(ipAddress: "192.0.2.52", port: 0)!
        XCTAssertEqual(
            try response(send(core, request(.channelBind, nonce: nonce, [.channelNumber(0x4002), .xorPeerAddress(portZero)]), key: key))
                .errorCode?.code, 400, "a channel to port 0 could carry nothing")
    }

    /// A request with a FINGERPRINT gets one back on every answer, unauthenticated ones included
    /// (coturn does so once a client used one).
    func testUnauthenticatedAnswersCarryAFingerprintWhenTheRequestDid() throws {
        let core = makeCore()
        let hasFingerprint = { (message: StunMessage) in
            message.attributes.contains { if case .fingerprint = $0 { true } else { false } }
        }
        let challenge = try response(
            send(core, StunMessage(messageType: StunMessageType(method: .allocate, messageClass: .request), attributes: [.requestedTransport(17)])))
        XCTAssertEqual(challenge.errorCode?.code, 401)
        XCTAssertTrue(hasFingerprint(challenge))
        XCTAssertEqual(challenge.verifyFingerprint(), .valid)
        let incomplete = StunMessage(
            messageType: StunMessageType(method: .allocate, messageClass: .request),
            attributes: [.username("alice"), .requestedTransport(17)])
        let badRequest = try response(send(core, incomplete, key: key))
        XCTAssertEqual(badRequest.errorCode?.code, 400)
        XCTAssertTrue(hasFingerprint(badRequest))
        var outputs: [TurnOutput] = []
        core.handleClientPacket(
            try StunMessage(messageType: StunMessageType(method: .allocate, messageClass: .request), attributes: [.requestedTransport(17)])
                .encoded(), from: tuple, now: now, into: &outputs)
        XCTAssertFalse(hasFingerprint(try response(outputs)), "none asked, none given")
    }

    func testSendIndicationNeedsAPermissionAndDataIndicationCarriesPeerData() throws {
        let core = makeCore()
        let relay = try allocate(core)
        let send = StunMessage(
            messageType: StunMessageType(method: .send, messageClass: .indication),
            attributes: [.xorPeerAddress(peer), .data(ByteBuffer(string: "x"))])
        XCTAssertTrue(try self.send(core, send).isEmpty, "no permission yet: dropped")
        XCTAssertNil(core.handlePeerPacket(ByteBuffer(string: "y"), from: peer.socketAddress, relay: relay, now: now))

        let nonce = try challengeNonce(from: core)
        _ = try self.send(core, request(.createPermission, nonce: nonce, [.xorPeerAddress(peer)]), key: key)
        guard case .toPeer(let payload, _, _)? = try self.send(core, send).first else { return XCTFail() }
        XCTAssertEqual(String(buffer: payload), "x")
        guard case .toClient(let bytes, _)? = core.handlePeerPacket(ByteBuffer(string: "y"), from: peer.socketAddress, relay: relay, now: now)
        else { return XCTFail() }
        let indication = try StunMessage(decoding: bytes)
        XCTAssertEqual(indication.messageType, StunMessageType(method: .data, messageClass: .indication))
        XCTAssertEqual(indication.xorPeerAddresses, [peer])
        XCTAssertEqual(indication.data.map { String(buffer: $0) }, "y")
    }

    func testPermissionsAndAllocationsExpire() throws {
        let core = makeCore()
        let relay = try allocate(core)
        let nonce = try challengeNonce(from: core)
        _ = try send(core, request(.createPermission, nonce: nonce, [.xorPeerAddress(peer)]), key: key)
        var outputs: [TurnOutput] = []
        core.tick(now: now + 301, into: &outputs)
        XCTAssertNil(core.handlePeerPacket(ByteBuffer(string: "late"), from: peer.socketAddress, relay: relay, now: now + 301))
        core.tick(now: now + 601, into: &outputs)
        XCTAssertEqual(core.allocationCount, 0)
        guard case .closeRelay(let closed)? = outputs.last else { return XCTFail("\(outputs)") }
        XCTAssertEqual(closed, relay)
    }

    func testRefreshWithZeroLifetimeDeletesTheAllocation() throws {
        let core = makeCore()
        try allocate(core)
        let nonce = try challengeNonce(from: core)
        let outputs = try send(core, request(.refresh, nonce: nonce, [.lifetime(0)]), key: key)
        XCTAssertEqual(try response(outputs).lifetime, 0)
        XCTAssertTrue(outputs.contains { if case .closeRelay = $0 { true } else { false } })
        XCTAssertEqual(core.allocationCount, 0)
    }

    func testUnknownComprehensionRequiredAttributeIs420() throws {
        let core = makeCore()
        let message = StunMessage(
            messageType: StunMessageType(method: .binding, messageClass: .request),
            attributes: [.unknown(type: StunAttributeType(rawValue: 0x0041), value: [1, 2, 3, 4])])
        let reply = try response(send(core, message))
        XCTAssertEqual(reply.errorCode?.code, 420)
    }

    func testUnknownAttributeOfATurnRequestIs420OnlyOnceAuthenticated() throws {
        let core = makeCore()
        let unknown = StunAttribute.unknown(type: StunAttributeType(rawValue: 0x0041), value: [1, 2, 3, 4])
        let unauthenticated = try response(
            send(core, StunMessage(messageType: StunMessageType(method: .allocate, messageClass: .request), attributes: [.requestedTransport(17), unknown])))
        XCTAssertEqual(unauthenticated.errorCode?.code, 401)
        let nonce = try XCTUnwrap(unauthenticated.nonce)
        let reply = try response(send(core, request(.allocate, nonce: nonce, [.requestedTransport(17), unknown]), key: key))
        XCTAssertEqual(reply.errorCode?.code, 420)
        XCTAssertEqual(reply.verifyMessageIntegrity(key: key), .valid)
        XCTAssertEqual(core.allocationCount, 0)
    }

    func testAMessageWithAWrongFingerprintIsDropped() throws {
        let core = makeCore()
        var bytes = try StunMessage(messageType: StunMessageType(method: .binding, messageClass: .request)).encoded(fingerprint: true)
        let last = bytes.writerIndex - 1
        bytes.setInteger(bytes.getInteger(at: last, as: UInt8.self)! ^ 0xFF, at: last)
        var outputs: [TurnOutput] = []
        core.handleClientPacket(bytes, from: tuple, now: now, into: &outputs)
        XCTAssertTrue(outputs.isEmpty, "\(outputs)")
    }

    func testASendIndicationWithAnUnknownRequiredAttributeIsDropped() throws {
        let core = makeCore()
        try allocate(core)
        let nonce = try challengeNonce(from: core)
        _ = try send(core, request(.createPermission, nonce: nonce, [.xorPeerAddress(peer)]), key: key)
        let indication = StunMessage(
            messageType: StunMessageType(method: .send, messageClass: .indication),
            attributes: [
                .xorPeerAddress(peer), .data(ByteBuffer(string: "x")),
                .unknown(type: StunAttributeType(rawValue: 0x0041), value: [0, 0, 0, 0]),
            ])
        XCTAssertTrue(try send(core, indication).isEmpty)
    }

    func testGarbageIsDroppedAndABrokenRequestGets400() throws {
        let core = makeCore()
        var outputs: [TurnOutput] = []
        core.handleClientPacket(ByteBuffer(bytes: [0xFF, 0x00, 0x12]), from: tuple, now: now, into: &outputs)
        XCTAssertTrue(outputs.isEmpty)
        var broken = try StunMessage(messageType: StunMessageType(method: .allocate, messageClass: .request), attributes: [.requestedTransport(17)]).encoded()
        broken.setInteger(UInt16(0x0019), at: 20)
        broken.setInteger(UInt16(200), at: 22)  // attribute length overruns the message
        core.handleClientPacket(broken, from: tuple, now: now, into: &outputs)
        XCTAssertEqual(try response(outputs).errorCode?.code, 400)
    }

    func testRepeatedAuthenticationFailuresBlockTheAddress() throws {
        let core = makeCore()
        let nonce = try challengeNonce(from: core)
        let wrongKey = StunCredentials.longTermKey(username: "alice", realm: realm, password: "guess")!
        for _ in 0..<20 {
            _ = try send(core, request(.allocate, nonce: nonce, [.requestedTransport(17)]), key: wrongKey)
        }
        XCTAssertTrue(try send(core, request(.allocate, nonce: nonce, [.requestedTransport(17)]), key: key).isEmpty)
        let bobKey = StunCredentials.longTermKey(username: "bob", realm: realm, password: "other")!
        let bob = try send(core, request(.allocate, nonce: nonce, username: "bob", [.requestedTransport(17)]), key: bobKey)
        XCTAssertEqual(bob.count, 1, "another user at the same address is not locked out")
    }

    func testFailuresFromItsAddressDoNotCutOffAnExistingAllocation() throws {
        let core = makeCore()
        try allocate(core)
        let nonce = try challengeNonce(from: core)
        let wrongKey = StunCredentials.longTermKey(username: "alice", realm: realm, password: "guess")!
        let other = FiveTuple(client: try SocketAddress(ipAddress: "198.51.100.7", port: 40999), server: serverAddress, transport: .udp)
        for _ in 0..<25 {
            _ = try send(core, request(.allocate, nonce: nonce, [.requestedTransport(17)]), key: wrongKey, from: other)
        }
        let refresh = try response(send(core, request(.refresh, nonce: nonce, [.lifetime(600)]), key: key))
        XCTAssertEqual(refresh.messageType.messageClass, .successResponse)

        // Guessing another user's password from the allocation's own five-tuple is limited too.
        let wrongBobKey = StunCredentials.longTermKey(username: "bob", realm: realm, password: "guess")!
        for _ in 0..<20 {
            _ = try send(core, request(.refresh, nonce: nonce, username: "bob"), key: wrongBobKey)
        }
        XCTAssertTrue(try send(core, request(.refresh, nonce: nonce, username: "bob"), key: wrongBobKey).isEmpty)
    }

    func testTcpClientsGetPaddedChannelDataAndLoseTheirAllocationOnDisconnect() throws {
        let core = makeCore()
        let tcp = FiveTuple(client: client, server: serverAddress, transport: .tcp)
        let relay = try allocate(core, from: tcp)
        let nonce = try challengeNonce(from: core)
        _ = try send(core, request(.channelBind, nonce: nonce, [.channelNumber(0x4000), .xorPeerAddress(peer)]), key: key, from: tcp)
        guard case .toClient(let bytes, _)? = core.handlePeerPacket(ByteBuffer(string: "abcde"), from: peer.socketAddress, relay: relay, now: now)
        else { return XCTFail() }
        XCTAssertEqual(bytes.readableBytes, 12, "4-byte header + 5 bytes padded to 8")
        var outputs: [TurnOutput] = []
        core.clientDisconnected(tcp, into: &outputs)
        XCTAssertEqual(core.allocationCount, 0)
    }
}
