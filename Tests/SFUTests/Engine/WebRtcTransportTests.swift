import NIOCore
import STUN
import XCTest
@testable import SFU

/// A WebRtcTransport driven over loopback UDP by a test client speaking ICE (STUN checks built
/// with our codec) and DTLS (our DtlsTransport in the server role), then sending SRTP media
/// that a plain-transport consumer receives.
final class WebRtcTransportTests: EngineTestCase {
    /// ICE check, DTLS handshake (we answer as DTLS server, so the transport is the client),
    /// then one VP8 frame in SRTP reaching a plain consumer.
    private func connectAndSendMedia(through transport: WebRtcTransport, router: Router, port: Int) async throws {
        let client = try await UdpTestEndpoint(group: group)
        let destination = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        let parameters = await transport.iceParameters
        XCTAssertEqual(parameters.usernameFragment.count, 32)

        try await client.send(try IceCheck(for: parameters, useCandidate: true).encoded(), to: destination)
        let responses = await client.receive(count: 1) { ($0.getInteger(at: $0.readerIndex, as: UInt8.self) ?? 255) < 4 }
        let response = try StunMessage(decoding: try XCTUnwrap(responses.first))
        XCTAssertEqual(response.messageType, .bindingSuccessResponse)
        XCTAssertEqual(
            response.verifyMessageIntegrity(key: StunCredentials.shortTermKey(password: parameters.password)), .valid)
        let iceState = await transport.iceState
        XCTAssertEqual(iceState, .completed)

        let clientCertificate = try DtlsCertificate.generate()
        let clientContext = try DtlsContext(certificate: clientCertificate)
        let serverFingerprint = try XCTUnwrap(
            transport.dtlsParameters.fingerprints.first { $0.algorithm == .sha256 })
        let dtls = try DtlsTransport(context: clientContext, role: .server, remoteFingerprint: serverFingerprint)
        dtls.start()
        try await transport.connect(dtlsParameters: DtlsParameters(
            role: .server, fingerprints: [clientCertificate.fingerprint(.sha256)]))

        var keys: DtlsSrtpKeys?
        while keys == nil {
            let datagrams = await client.receive(count: 1)
            guard let datagram = datagrams.first else { return XCTFail("DTLS handshake stalled") }
            dtls.feed(datagram)
            while let outgoing = dtls.pollDatagram() { try await client.send(outgoing, to: destination) }
            while let event = dtls.pollEvent() {
                if case .connected(let negotiated) = event { keys = negotiated }
                if case .failed(let reason) = event { return XCTFail("DTLS failed: \(reason)") }
            }
        }
        let negotiated = try XCTUnwrap(keys)
        for _ in 0..<50 where await transport.currentDtlsState != .connected {
            try await Task.sleep(for: .milliseconds(10))
        }
        let dtlsState = await transport.currentDtlsState
        XCTAssertEqual(dtlsState, .connected)

        let producer = try await transport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 2222)))
        let receiver = try await UdpTestEndpoint(group: group)
        let plain = try await router.createPlainTransport(
            PlainTransportOptions(listenInfo: TransportListenInfo(protocol: .udp, ip: "127.0.0.1")))
        try await plain.connect(PlainTransportConnectParameters(ip: "127.0.0.1", port: receiver.port))
        let consumer = try await plain.consume(
            ConsumerOptions(producerId: producer.id, rtpCapabilities: router.rtpCapabilities))

        let suite = try XCTUnwrap(SrtpCryptoSuite(rawValue: negotiated.profile.rawValue))
        let encryptor = try SrtpSession(
            direction: .outbound,
            masterKey: SrtpMasterKey(suite: suite, key: negotiated.localMasterKey, salt: negotiated.localMasterSalt))
        let source = try SyntheticVideoSource(configuration: .init(payloadType: 96, ssrc: 2222))
        let frame = try source.nextFrame()
        for packet in frame.packets {
            var buffer = packet.buffer
            guard case .success = encryptor.protectRtp(&buffer) else { return XCTFail("protect failed") }
            try await client.send(buffer, to: destination)
        }
        let forwarded = await receiver.receive(count: frame.packets.count) { !RtcpHeader.looksLikeRtcp($0) }
        XCTAssertEqual(forwarded.count, frame.packets.count)
        let first = try RtpPacket(buffer: try XCTUnwrap(forwarded.first))
        XCTAssertEqual(first.ssrc, consumer.rtpParameters.encodings?.first?.ssrc)

        // The client ends DTLS (close_notify): the transport is closed for DTLS and its media
        // goes no further, as in mediasoup.
        dtls.close()
        while let outgoing = dtls.pollDatagram() { try await client.send(outgoing, to: destination) }
        for _ in 0..<100 where await transport.currentDtlsState != .closed {
            try await Task.sleep(for: .milliseconds(10))
        }
        let closedState = await transport.currentDtlsState
        XCTAssertEqual(closedState, .closed)
        for packet in try source.nextFrame().packets {
            var buffer = packet.buffer
            guard case .success = encryptor.protectRtp(&buffer) else { return XCTFail("protect failed") }
            try await client.send(buffer, to: destination)
        }
        let afterClose = await receiver.receive(count: 1, timeout: .milliseconds(300)) { !RtcpHeader.looksLikeRtcp($0) }
        XCTAssertEqual(afterClose.count, 0, "media flowed after the peer closed DTLS")
        await client.close()
        await receiver.close()
    }

    func testOwnPortTransportConnectsAndForwardsMedia() async throws {
        let transport = try await router.createWebRtcTransport(
            WebRtcTransportOptions(listenInfos: [TransportListenInfo(protocol: .udp, ip: "127.0.0.1")]))
        let candidate = try XCTUnwrap(transport.iceCandidates.first)
        XCTAssertEqual(candidate.transportProtocol, .udp)
        try await connectAndSendMedia(through: transport, router: router, port: Int(candidate.port))
    }

    func testSharedWebRtcServerPortServesSeveralTransports() async throws {
        let server = try await worker.createWebRtcServer(listenInfos: [
            TransportListenInfo(protocol: .udp, ip: "127.0.0.1", port: 0),
            TransportListenInfo(protocol: .tcp, ip: "127.0.0.1", port: 0),
        ])
        let first = try await router.createWebRtcTransport(WebRtcTransportOptions(webRtcServer: server))
        let second = try await router.createWebRtcTransport(WebRtcTransportOptions(webRtcServer: server))
        XCTAssertEqual(first.iceCandidates.map(\.port), second.iceCandidates.map(\.port))
        XCTAssertEqual(first.iceCandidates.count, 2)
        let udpPort = try XCTUnwrap(first.iceCandidates.first { $0.transportProtocol == .udp }).port
        try await connectAndSendMedia(through: first, router: router, port: Int(udpPort))
        try await connectAndSendMedia(through: second, router: router, port: Int(udpPort))
    }

    func testConnectTwiceIsRefused() async throws {
        let transport = try await router.createWebRtcTransport(
            WebRtcTransportOptions(listenInfos: [TransportListenInfo(protocol: .udp, ip: "127.0.0.1")]))
        let fingerprint = try DtlsCertificate.generate().fingerprint(.sha256)
        try await transport.connect(dtlsParameters: DtlsParameters(role: .client, fingerprints: [fingerprint]))
        do {
            try await transport.connect(dtlsParameters: DtlsParameters(role: .client, fingerprints: [fingerprint]))
            XCTFail("second connect accepted")
        } catch let error as EngineError {
            XCTAssertEqual(error.description, "connect() already called")
        }
    }
}
