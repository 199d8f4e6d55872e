import NIOCore
import XCTest

@testable import SFU

final class DtlsTransportTests: XCTestCase {
    func testHandshakeConnectsBothSidesWithMatchingSrtpKeys() throws {
        let link = try DtlsTestLink.make()
        XCTAssertEqual(link.client.state, .new)
        XCTAssertTrue(link.handshake())

        XCTAssertEqual(link.client.state, .connected)
        XCTAssertEqual(link.server.state, .connected)
        XCTAssertEqual(link.clientEvents.first, .connecting)
        XCTAssertEqual(link.serverEvents.first, .connecting)
        let clientKeys = try XCTUnwrap(DtlsTestLink.keys(in: link.clientEvents))
        let serverKeys = try XCTUnwrap(DtlsTestLink.keys(in: link.serverEvents))
        XCTAssertEqual(link.client.srtpKeys, clientKeys)
        XCTAssertEqual(link.server.srtpKeys, serverKeys)

        // Both sides use mediasoup's list; the server's first choice wins.
        XCTAssertEqual(clientKeys.profile, .aeadAes256Gcm)
        XCTAssertEqual(serverKeys.profile, .aeadAes256Gcm)
        XCTAssertEqual(clientKeys.localMasterKey.count, 32)
        XCTAssertEqual(clientKeys.localMasterSalt.count, 12)
        XCTAssertEqual(clientKeys.localMasterKey, serverKeys.remoteMasterKey)
        XCTAssertEqual(clientKeys.localMasterSalt, serverKeys.remoteMasterSalt)
        XCTAssertEqual(clientKeys.remoteMasterKey, serverKeys.localMasterKey)
        XCTAssertEqual(clientKeys.remoteMasterSalt, serverKeys.localMasterSalt)
        XCTAssertNotEqual(clientKeys.localMasterKey, clientKeys.remoteMasterKey)
        XCTAssertEqual(clientKeys.localKeyingMaterial, clientKeys.localMasterKey + clientKeys.localMasterSalt)
        XCTAssertFalse(String(describing: clientKeys).contains(clientKeys.localMasterKey.map(String.init).joined()))

        XCTAssertNil(link.client.nextTimeout(now: .now()))
        XCTAssertNil(link.server.nextTimeout(now: .now()))
        XCTAssertLessThanOrEqual(link.largestDatagram, DtlsTransport.defaultMtu)
    }

    func testServerPreferenceOrderPicksTheSrtpProfile() throws {
        let link = try DtlsTestLink.make(serverProfiles: [.aeadAes128Gcm, .aesCm128HmacSha1_80])
        XCTAssertTrue(link.handshake())
        let keys = try XCTUnwrap(link.client.srtpKeys)
        XCTAssertEqual(keys.profile, .aeadAes128Gcm)
        XCTAssertEqual(keys.localMasterKey.count, 16)
        XCTAssertEqual(keys.localMasterSalt.count, 12)
        XCTAssertEqual(link.server.srtpKeys?.profile, .aeadAes128Gcm)
    }

    func testClassicProfileExportsFourteenByteSalts() throws {
        let link = try DtlsTestLink.make(serverProfiles: [.aesCm128HmacSha1_80])
        XCTAssertTrue(link.handshake())
        let clientKeys = try XCTUnwrap(link.client.srtpKeys)
        let serverKeys = try XCTUnwrap(link.server.srtpKeys)
        XCTAssertEqual(clientKeys.profile, .aesCm128HmacSha1_80)
        XCTAssertEqual(clientKeys.localKeyingMaterial.count, 30)
        XCTAssertEqual(clientKeys.localKeyingMaterial, serverKeys.remoteKeyingMaterial)
    }

    func testNoCommonSrtpProfileFails() throws {
        let link = try DtlsTestLink.make(
            clientProfiles: [.aesCm128HmacSha1_32], serverProfiles: [.aeadAes256Gcm])
        link.handshake()
        XCTAssertEqual(link.client.state, .failed)
        XCTAssertEqual(link.client.failureReason, .srtpProfileNotNegotiated)
        XCTAssertEqual(link.server.state, .failed)
    }

    func testWrongSignaledFingerprintFailsWithReason() throws {
        let wrong = DtlsFingerprint(
            algorithm: .sha256, value: Array(repeating: "AB", count: 32).joined(separator: ":"))
        let link = try DtlsTestLink.make(fingerprintSignaledToClient: { _ in wrong })
        link.handshake()

        XCTAssertEqual(link.client.state, .failed)
        XCTAssertNil(link.client.srtpKeys)
        guard case .remoteFingerprintMismatch(let signaled, let actual) = link.client.failureReason else {
            return XCTFail("unexpected reason \(String(describing: link.client.failureReason))")
        }
        XCTAssertEqual(signaled, wrong)
        XCTAssertEqual(actual.value.count, 32 * 3 - 1)
        XCTAssertTrue(link.clientEvents.contains(.failed(.remoteFingerprintMismatch(signaled: wrong, actual: actual))))
        XCTAssertThrowsError(try link.client.send(ByteBuffer(bytes: [1]))) { error in
            XCTAssertEqual(error as? DtlsError, .notConnected(.failed))
        }
        // Datagrams after failure are dropped and counted.
        let before = link.client.stats.datagramsDroppedWhileNotRunning
        link.client.feed(ByteBuffer(bytes: [22, 0xFE, 0xFD] + Array(repeating: 0, count: 10)))
        XCTAssertEqual(link.client.stats.datagramsDroppedWhileNotRunning, before + 1)
    }

    func testFingerprintWithOtherAlgorithmAndLowercaseHexIsAccepted() throws {
        let link = try DtlsTestLink.make(fingerprintSignaledToClient: { certificate in
            let sha512 = certificate.fingerprint(.sha512)
            return DtlsFingerprint(algorithm: .sha512, value: sha512.value.lowercased())
        })
        XCTAssertTrue(link.handshake())
        XCTAssertEqual(link.client.state, .connected)
    }

    func testRemoteFingerprintGivenAfterTheHandshakeCompletesTheConnection() throws {
        let serverCertificate = try DtlsCertificate.generate()
        let clientCertificate = try DtlsCertificate.generate()
        let client = try DtlsTransport(
            context: DtlsContext(certificate: clientCertificate), role: .client, remoteFingerprint: nil)
        let server = try DtlsTransport(
            context: DtlsContext(certificate: serverCertificate), role: .server,
            remoteFingerprint: clientCertificate.fingerprint(.sha1))
        let link = DtlsTestLink(client: client, server: server)
        link.startBoth()
        link.deliverAll()
        XCTAssertEqual(server.state, .connected)
        XCTAssertEqual(client.state, .connecting)
        XCTAssertNil(client.nextTimeout(now: .now()))

        client.setRemoteFingerprint(serverCertificate.fingerprint(.sha384))
        link.collect()
        XCTAssertEqual(client.state, .connected)
        XCTAssertEqual(client.srtpKeys?.localMasterKey, server.srtpKeys?.remoteMasterKey)
    }

    func testHandshakeSurvivesLossAndReorderingThroughRetransmissions() throws {
        // A small MTU splits every flight into several datagrams, so reordering matters.
        let link = try DtlsTestLink.make(mtu: 300, seed: 0x5EED)
        link.lossRate = 0.3
        link.reorders = true
        let started = NIODeadline.now()
        link.startBoth()
        XCTAssertTrue(link.run(timeLimit: .seconds(10)) { link.client.state == .connected && link.server.state == .connected })
        let elapsed = NIODeadline.now() - started

        XCTAssertGreaterThan(link.datagramsDropped, 0)
        XCTAssertGreaterThan(link.client.stats.retransmissions + link.server.stats.retransmissions, 0)
        XCTAssertLessThanOrEqual(link.largestDatagram, 300)
        XCTAssertLessThan(elapsed, .seconds(10))
        let clientKeys = try XCTUnwrap(link.client.srtpKeys)
        XCTAssertEqual(clientKeys.localKeyingMaterial, link.server.srtpKeys?.remoteKeyingMaterial)
        XCTAssertEqual(clientKeys.remoteKeyingMaterial, link.server.srtpKeys?.localKeyingMaterial)
    }

    func testFirstRetransmissionComesAfterAboutOneHundredMilliseconds() throws {
        let link = try DtlsTestLink.make()
        link.client.start()
        XCTAssertNotNil(link.client.pollDatagram())  // the ClientHello, "lost"
        let now = NIODeadline.now()
        let deadline = try XCTUnwrap(link.client.nextTimeout(now: now))
        // mediasoup's 100 ms, not OpenSSL's default 1 s.
        XCTAssertLessThanOrEqual(deadline - now, .milliseconds(100))

        link.client.handleTimeout()  // early: nothing happens
        XCTAssertNil(link.client.pollDatagram())
        usleep(110_000)
        link.client.handleTimeout()
        XCTAssertNotNil(link.client.pollDatagram())
        XCTAssertEqual(link.client.stats.retransmissions, 1)
        let next = try XCTUnwrap(link.client.nextTimeout(now: .now()))
        XCTAssertGreaterThan(next - .now(), .milliseconds(100))  // doubled to 200 ms
    }

    func testApplicationDataFlowsBothWays() throws {
        let link = try DtlsTestLink.make()
        XCTAssertTrue(link.handshake())
        let fromClient: [UInt8] = Array("hello from the client".utf8)
        let fromServer: [UInt8] = (0..<1100).map { UInt8($0 & 0xFF) }
        try link.client.send(ByteBuffer(bytes: fromClient))
        try link.server.send(ByteBuffer(bytes: fromServer))
        try link.client.send(ByteBuffer(bytes: [42]))
        link.collect()
        link.deliverAll()

        XCTAssertEqual(DtlsTestLink.applicationData(in: link.serverEvents), [fromClient, [42]])
        XCTAssertEqual(DtlsTestLink.applicationData(in: link.clientEvents), [fromServer])
        XCTAssertThrowsError(try link.client.send(ByteBuffer())) { error in
            XCTAssertEqual(error as? DtlsError, .invalidApplicationDataLength(0))
        }
        XCTAssertThrowsError(try link.client.send(ByteBuffer(repeating: 0, count: 16385)))
    }

    func testSendBeforeConnectedThrows() throws {
        let link = try DtlsTestLink.make()
        XCTAssertThrowsError(try link.client.send(ByteBuffer(bytes: [1]))) { error in
            XCTAssertEqual(error as? DtlsError, .notConnected(.new))
        }
    }

    func testCloseSendsCloseNotifyAndClosesThePeer() throws {
        let link = try DtlsTestLink.make()
        XCTAssertTrue(link.handshake())
        link.client.close()
        XCTAssertEqual(link.client.state, .closed)
        link.collect()
        link.deliverAll()

        XCTAssertEqual(link.server.state, .closed)
        XCTAssertEqual(link.serverEvents.last, .closed)
        XCTAssertFalse(link.clientEvents.contains(.closed))
        XCTAssertNil(link.server.failureReason)
        // Closing twice is harmless and sends nothing more.
        link.client.close()
        XCTAssertNil(link.client.pollDatagram())
    }

    func testGarbageDatagramsAreDroppedAndCountedWithoutDisturbingTheHandshake() throws {
        let link = try DtlsTestLink.make()
        var random = SplitMix64(seed: 7)
        func garbage() -> [ByteBuffer] {
            var datagrams: [ByteBuffer] = [
                ByteBuffer(),
                ByteBuffer(bytes: [22]),
                ByteBuffer(bytes: [22, 0xFE, 0xFD, 0, 0]),  // truncated header
                ByteBuffer(bytes: [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x00, 1, 2]),  // length past the end
                ByteBuffer(bytes: [99] + Array(repeating: 0, count: 20)),  // not DTLS
                ByteBuffer(bytes: [22, 0x03, 0x03] + Array(repeating: 0, count: 10)),  // TLS, not DTLS
            ]
            for _ in 0..<50 {
                let length = Int.random(in: 1...300, using: &random)
                datagrams.append(ByteBuffer(bytes: (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }))
            }
            return datagrams
        }

        // Before start: dropped as not running.
        link.server.feed(ByteBuffer(bytes: [22, 0xFE, 0xFD] + Array(repeating: 0, count: 10)))
        XCTAssertEqual(link.server.stats.datagramsDroppedWhileNotRunning, 1)

        link.startBoth()
        let malformed = garbage()
        for datagram in malformed {
            link.server.feed(datagram)
            link.client.feed(datagram)
        }
        XCTAssertEqual(link.server.state, .connecting)
        XCTAssertEqual(link.client.state, .connecting)
        XCTAssertEqual(link.server.stats.malformedDatagramsDropped, malformed.count)
        XCTAssertEqual(link.client.stats.malformedDatagramsDropped, malformed.count)
        // The garbage produced no response.
        XCTAssertNil(link.server.pollDatagram())

        XCTAssertTrue(link.run { link.bothSettled })
        XCTAssertEqual(link.client.state, .connected)
        XCTAssertEqual(link.server.state, .connected)

        // Once connected: garbage again, plus well-framed records that cannot decrypt.
        for datagram in garbage() {
            link.server.feed(datagram)
        }
        for contentType: UInt8 in [23, 21, 22, 20] {
            let body = (0..<48).map { _ in UInt8.random(in: 0...255, using: &random) }
            let record: [UInt8] = [contentType, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 99, 0, 48] + body
            link.server.feed(ByteBuffer(bytes: record))
        }
        link.collect()
        XCTAssertEqual(link.server.state, .connected)
        try link.client.send(ByteBuffer(bytes: [1, 2, 3]))
        link.collect()
        link.deliverAll()
        XCTAssertEqual(DtlsTestLink.applicationData(in: link.serverEvents), [[1, 2, 3]])
    }

    func testFatalAlertFromThePeerFailsWithTheAlertName() throws {
        let link = try DtlsTestLink.make()
        link.server.start()
        link.client.start()
        var clientHello = try XCTUnwrap(link.client.pollDatagram())
        // Record header (13) + handshake header (12) + client_version (2) + random (32): the
        // session_id length. Claiming 255 bytes makes the ClientHello undecodable.
        clientHello.setInteger(UInt8(255), at: clientHello.readerIndex + 59)
        link.server.feed(clientHello)
        XCTAssertEqual(link.server.state, .failed)
        guard case .protocolError(let error) = link.server.failureReason else {
            return XCTFail("unexpected \(String(describing: link.server.failureReason))")
        }
        XCTAssertFalse(error.messages.isEmpty)

        let alert = try XCTUnwrap(link.server.pollDatagram())
        link.client.feed(alert)
        XCTAssertEqual(link.client.state, .failed)
        XCTAssertEqual(link.client.failureReason, .alertReceived("decode error"))
        XCTAssertEqual(link.client.pollEvent(), .connecting)
        XCTAssertEqual(link.client.pollEvent(), .failed(.alertReceived("decode error")))
    }

    func testAutoRoleCannotRun() throws {
        let context = try DtlsContext(certificate: DtlsCertificate.generate())
        XCTAssertThrowsError(try DtlsTransport(context: context, role: .auto)) { error in
            XCTAssertEqual(error as? DtlsError, .localRoleMustBeClientOrServer)
        }
    }

    func testTooSmallMtuIsRefused() throws {
        let context = try DtlsContext(certificate: DtlsCertificate.generate())
        XCTAssertThrowsError(try DtlsTransport(context: context, role: .client, mtu: 50))
    }

    func testLocalRoleFollowsMediasoup() {
        XCTAssertEqual(DtlsRole.local(forRemote: .client), .server)
        XCTAssertEqual(DtlsRole.local(forRemote: .server), .client)
        XCTAssertEqual(DtlsRole.local(forRemote: .auto), .client)
    }

    func testDtlsClassifierFollowsRfc7983() {
        let header = Array(repeating: UInt8(0), count: 12)
        XCTAssertTrue(DtlsTransport.isDtls(ByteBuffer(bytes: [20] + header)))
        XCTAssertTrue(DtlsTransport.isDtls(ByteBuffer(bytes: [63] + header)))
        XCTAssertFalse(DtlsTransport.isDtls(ByteBuffer(bytes: [19] + header)))
        XCTAssertFalse(DtlsTransport.isDtls(ByteBuffer(bytes: [64] + header)))
        XCTAssertFalse(DtlsTransport.isDtls(ByteBuffer(bytes: [0x80] + header)))
        XCTAssertFalse(DtlsTransport.isDtls(ByteBuffer(bytes: [22, 0xFE, 0xFD])))
    }
}
