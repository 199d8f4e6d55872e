import NIOCore
import STUN
import XCTest
@testable import SFU

/// ICE on a WebRtcTransport over loopback: consent expiry, ICE restart, and ICE-TCP carrying
/// the checks, DTLS and media.
final class WebRtcTransportIceTests: EngineTestCase {
    private func udpClient(of transport: WebRtcTransport) async throws -> MediaTestPeer {
        let candidate = try XCTUnwrap(transport.iceCandidates.first { $0.transportProtocol == .udp })
        return MediaTestPeer(
            udp: try await udpEndpoint(), destination: try SocketAddress(ipAddress: "127.0.0.1", port: Int(candidate.port)))
    }

    /// A plain receiver consuming a VP8 producer `client` sends on `transport`; returns a
    /// function that sends one more frame and tells whether it was forwarded.
    private func forwardingCheck(
        from client: MediaTestPeer, on transport: WebRtcTransport, ssrc: UInt32
    ) async throws -> () async throws -> Bool {
        let producer = try await transport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: ssrc)))
        let (plain, receiver) = try await plainPeer()
        _ = try await consume(producer, on: plain)
        var stream = RtpTestStream.vp8(ssrc: ssrc)
        var isFirst = true
        return {
            let packet = stream.next(keyFrame: isFirst)
            isFirst = false
            try await client.sendRtp(packet)
            let forwarded = await receiver.receiveRtp(count: 1, timeout: .seconds(2))
            return forwarded.first?.payload == packet.payload
        }
    }

    private static func iceState(_ event: TransportEvent) -> IceState? {
        if case .iceStateChange(let state) = event { return state }
        return nil
    }

    func testIceConsentExpiryReportsDisconnected() async throws {
        let transport = try await router.createWebRtcTransport(
            WebRtcTransportOptions(listenInfos: [Self.loopback], iceConsentTimeout: 10))
        let events = EventRecorder(transport.events)
        let client = try await udpClient(of: transport)
        let parameters = await transport.iceParameters
        let response = try await client.iceCheck(parameters)
        XCTAssertEqual(response?.messageType, .bindingSuccessResponse)
        let checkedBy = NIODeadline.now()
        let completed = await events.wait { $0.compactMap(Self.iceState).last == .completed }
        XCTAssertTrue(completed)

        // Consent lasts 10 s (the shortest mediasoup allows): drive the transport's clock
        // rather than wait. One second before it lapses, nothing happens.
        try await worker.onLoop { transport.tick(now: checkedBy + .seconds(9)) }
        let stillCompleted = await transport.iceState
        XCTAssertEqual(stillCompleted, .completed)
        try await worker.onLoop { transport.tick(now: checkedBy + .seconds(10)) }
        let disconnected = await events.wait { $0.compactMap(Self.iceState).last == .disconnected }
        XCTAssertTrue(disconnected, "consent expiry reported no disconnected state")
        let state = await transport.iceState
        XCTAssertEqual(state, .disconnected)
        let selected = await transport.iceSelectedTuple
        XCTAssertNil(selected)

        // The next valid check brings ICE back.
        let again = try await client.iceCheck(parameters)
        XCTAssertEqual(again?.messageType, .bindingSuccessResponse)
        let reconnected = await events.wait { $0.compactMap(Self.iceState).last == .completed }
        XCTAssertTrue(reconnected)
    }

    func testRestartIceKeepsOldCredentialsUntilTheNewOnesAreUsed() async throws {
        let transport = try await router.createWebRtcTransport(WebRtcTransportOptions(listenInfos: [Self.loopback]))
        let client = try await udpClient(of: transport)
        try await client.connect(to: transport)
        let mediaFlows = try await forwardingCheck(from: client, on: transport, ssrc: 1401)
        let flowedBefore = try await mediaFlows()
        XCTAssertTrue(flowedBefore)

        let old = await transport.iceParameters
        let new = try await transport.restartIce()
        XCTAssertNotEqual(new.usernameFragment, old.usernameFragment)
        XCTAssertNotEqual(new.password, old.password)
        XCTAssertEqual(new.usernameFragment.count, 32)
        XCTAssertEqual(new.password.count, 32)
        let current = await transport.iceParameters
        XCTAssertEqual(current, new)

        let withOld = try await client.iceCheck(old)
        XCTAssertEqual(withOld?.messageType, .bindingSuccessResponse, "old credentials refused before the new were used")
        let flowedDuringRestart = try await mediaFlows()
        XCTAssertTrue(flowedDuringRestart)

        let newResponse = try await client.iceCheck(new)
        let withNew = try XCTUnwrap(newResponse)
        XCTAssertEqual(withNew.messageType, .bindingSuccessResponse)
        XCTAssertEqual(
            withNew.verifyMessageIntegrity(key: StunCredentials.shortTermKey(password: new.password)), .valid)
        let oldResponse = try await client.iceCheck(old)
        let oldAfterwards = try XCTUnwrap(oldResponse)
        XCTAssertEqual(oldAfterwards.messageType, .bindingErrorResponse)
        XCTAssertEqual(oldAfterwards.errorCode?.code, 401)

        let flowedAfterRestart = try await mediaFlows()
        XCTAssertTrue(flowedAfterRestart, "media stopped after the ICE restart")
        let state = await transport.iceState
        XCTAssertEqual(state, .completed)
    }

    func testAWebRtcServersIceTcpConnectionIsClosedWithItsTransport() async throws {
        let server = try await worker.createWebRtcServer(listenInfos: [
            TransportListenInfo(protocol: .tcp, ip: "127.0.0.1", port: 0)
        ])
        let transport = try await router.createWebRtcTransport(WebRtcTransportOptions(webRtcServer: server))
        let candidate = try XCTUnwrap(transport.iceCandidates.first)
        let endpoint = try await tcpEndpoint(
            connectingTo: try SocketAddress(ipAddress: "127.0.0.1", port: Int(candidate.port)))
        try await MediaTestPeer(tcp: endpoint).connect(to: transport)

        await transport.close()
        // The server outlives the transport: the connection must not.
        let closed = await BoundedWait.until(timeout: .seconds(2)) { !endpoint.channel.isActive }
        XCTAssertTrue(closed, "the ICE-TCP connection stayed open after its transport closed")
    }

    func testIceTcpCarriesChecksDtlsAndMediaWithRfc4571Framing() async throws {
        let transport = try await router.createWebRtcTransport(WebRtcTransportOptions(
            listenInfos: [TransportListenInfo(protocol: .tcp, ip: "127.0.0.1")], enableUdp: false, enableTcp: true))
        let candidate = try XCTUnwrap(transport.iceCandidates.first)
        XCTAssertEqual(candidate.transportProtocol, .tcp)
        XCTAssertEqual(candidate.tcpType, .passive)
        let endpoint = try await tcpEndpoint(
            connectingTo: try SocketAddress(ipAddress: "127.0.0.1", port: Int(candidate.port)))
        let client = MediaTestPeer(tcp: endpoint)

        try await client.connect(to: transport)
        let selectedTuple = await transport.iceSelectedTuple
        let selected = try XCTUnwrap(selectedTuple)
        XCTAssertEqual(selected.protocol, .tcp)
        XCTAssertEqual(selected.localPort, Int(candidate.port))
        let mediaFlows = try await forwardingCheck(from: client, on: transport, ssrc: 1402)
        for _ in 0..<3 {
            let flowed = try await mediaFlows()
            XCTAssertTrue(flowed, "media over ICE-TCP was not forwarded")
        }
    }
}
