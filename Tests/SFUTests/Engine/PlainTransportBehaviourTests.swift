import NIOCore
import XCTest
@testable import SFU

/// PlainTransport as mediasoup's: comedia learns the remote tuple, RTCP without rtcpMux has
/// its own port both ways, a connected transport ignores other addresses, and `connect` is
/// checked.
final class PlainTransportBehaviourTests: EngineTestCase {
    private static func tupleEvent(_ event: TransportEvent) -> TransportTuple? {
        if case .tuple(let tuple) = event { return tuple }
        return nil
    }

    func testComediaLearnsTupleFromFirstPacketAndIgnoresOtherAddresses() async throws {
        let transport = try await router.createPlainTransport(
            PlainTransportOptions(listenInfo: Self.loopback, comedia: true))
        let events = EventRecorder(transport.events)
        let producer = try await transport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1201)))
        let initial = await transport.tuple
        XCTAssertNil(initial.remotePort)

        let endpoint = try await udpEndpoint()
        let sender = MediaTestPeer(udp: endpoint, destination: try await address(of: transport))
        var stream = RtpTestStream.vp8(ssrc: 1201)
        try await sender.sendRtp(stream.next(keyFrame: true))
        let learnt = await events.wait { $0.contains { Self.tupleEvent($0)?.remoteAddress == endpoint.address } }
        XCTAssertTrue(learnt, "no tuple event for the first packet's source")
        let tuple = await transport.tuple
        XCTAssertEqual(tuple.remoteIp, "127.0.0.1")
        XCTAssertEqual(tuple.remotePort, endpoint.port)
        XCTAssertEqual(tuple.localPort, initial.localPort)

        // RTCP goes back to the learnt address.
        let reports = await sender.receiveRtcp(timeout: .milliseconds(3000)) {
            if case .receiverReport(let report) = $0 { return report.reportBlocks.contains { $0.ssrc == 1201 } }
            return false
        }
        XCTAssertEqual(reports.count, 1, "no RR reached the learnt address")

        // The socket is now connected to the learnt address, so the kernel refuses a stranger's
        // datagrams; the sender's next one, queued behind, still arrives.
        let stranger = MediaTestPeer(udp: try await udpEndpoint(), destination: try await address(of: transport))
        try await stranger.sendRtp(stream.next())
        try await sender.sendRtp(stream.next())
        let counted = await BoundedWait.until(timeout: .seconds(2)) {
            await (producer.getStats().first?.packetCount ?? 0) >= 2
        }
        XCTAssertTrue(counted, "the learnt sender's second packet did not arrive")
        let packetCount = await producer.getStats().first?.packetCount
        XCTAssertEqual(packetCount, 2, "the stranger's packet was taken in")
        XCTAssertEqual(events.events.compactMap(Self.tupleEvent).count, 1, "the tuple changed after it was learnt")
    }

    func testComediaLearnsOnlyFromADatagramThatIsRtp() async throws {
        let transport = try await router.createPlainTransport(
            PlainTransportOptions(listenInfo: Self.loopback, comedia: true))
        let events = EventRecorder(transport.events)
        let producer = try await transport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1204)))
        // A port scan's probe and a datagram that only looks like RTP arrive first.
        let scanner = MediaTestPeer(udp: try await udpEndpoint(), destination: try await address(of: transport))
        try await scanner.sendRaw(ByteBuffer(bytes: [0x00]))
        try await scanner.sendRaw(ByteBuffer(bytes: [0x80, 0x60] + [UInt8](repeating: 0, count: 6)))
        try await scanner.sendRaw(ByteBuffer(bytes: [0x90, 0x60] + [UInt8](repeating: 0xFF, count: 18)))

        let endpoint = try await udpEndpoint()
        let sender = MediaTestPeer(udp: endpoint, destination: try await address(of: transport))
        var stream = RtpTestStream.vp8(ssrc: 1204)
        try await sender.sendRtp(stream.next(keyFrame: true))
        let learnt = await events.wait { $0.contains { Self.tupleEvent($0) != nil } }
        XCTAssertTrue(learnt, "no tuple learnt")
        XCTAssertEqual(events.events.compactMap(Self.tupleEvent).map(\.remoteAddress), [endpoint.address])
        let counted = await BoundedWait.until(timeout: .seconds(2)) {
            await (producer.getStats().first?.packetCount ?? 0) == 1
        }
        XCTAssertTrue(counted, "the sender's packet was not taken in")
    }

    func testComediaWithoutRtcpMuxStartsConsumersWhenRtcpCameFirst() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1205)))
        let transport = try await router.createPlainTransport(
            PlainTransportOptions(listenInfo: Self.loopback, rtcpMux: false, comedia: true))
        _ = try await consume(producer, on: transport)
        let announcedRtcpTuple = await transport.rtcpTuple
        let rtcpPort = try XCTUnwrap(announcedRtcpTuple).localPort
        // The endpoint's first RTCP (an RR, as ffmpeg sends before media) reaches the RTCP port first.
        let rtcpPeer = MediaTestPeer(
            udp: try await udpEndpoint(), destination: try SocketAddress(ipAddress: "127.0.0.1", port: rtcpPort))
        try await rtcpPeer.sendRtcp([.receiverReport(ReceiverReport(ssrc: 77, reportBlocks: []))])
        let rtcpLearnt = await BoundedWait.until(timeout: .seconds(2)) { await transport.rtcpTuple?.remotePort != nil }
        XCTAssertTrue(rtcpLearnt)
        let receiver = MediaTestPeer(udp: try await udpEndpoint(), destination: try await address(of: transport))
        var unknownStream = RtpTestStream.vp8(ssrc: 9999)
        try await receiver.sendRtp(unknownStream.next(keyFrame: true))

        var stream = RtpTestStream.vp8(ssrc: 1205)
        try await sender.sendRtp(stream.next(keyFrame: true))
        try await sender.sendRtp(stream.next())
        let forwarded = await receiver.receiveRtp(count: 2)
        XCTAssertEqual(forwarded.count, 2, "the consumer did not start once the RTP tuple was learnt")
    }

    func testRtcpMuxDisabledCarriesRtcpOnItsOwnPort() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1202)))

        let transport = try await router.createPlainTransport(
            PlainTransportOptions(listenInfo: Self.loopback, rtcpMux: false))
        let events = EventRecorder(transport.events)
        let rtpEndpoint = try await udpEndpoint()
        let rtcpEndpoint = try await udpEndpoint()
        try await transport.connect(PlainTransportConnectParameters(
            ip: "127.0.0.1", port: rtpEndpoint.port, rtcpPort: rtcpEndpoint.port))
        let tuple = await transport.tuple
        let announcedRtcpTuple = await transport.rtcpTuple
        let rtcpTuple = try XCTUnwrap(announcedRtcpTuple)
        XCTAssertNotEqual(rtcpTuple.localPort, tuple.localPort)
        XCTAssertEqual(rtcpTuple.remotePort, rtcpEndpoint.port)
        XCTAssertTrue(events.events.contains {
            if case .rtcpTuple(let announced) = $0 { return announced.remoteAddress == rtcpEndpoint.address }
            return false
        })
        let consumer = try await consume(producer, on: transport)
        let consumerSsrc = try XCTUnwrap(consumer.rtpParameters.encodings?.first?.ssrc)

        var stream = RtpTestStream.vp8(ssrc: 1202)
        try await sender.sendRtp(stream.next(keyFrame: true))
        for _ in 0..<4 { try await sender.sendRtp(stream.next()) }
        let rtpReceiver = MediaTestPeer(udp: rtpEndpoint, destination: try await address(of: transport))
        let rtcpReceiver = MediaTestPeer(
            udp: rtcpEndpoint, destination: try SocketAddress(ipAddress: "127.0.0.1", port: rtcpTuple.localPort))
        let forwarded = await rtpReceiver.receiveRtp(count: 5)
        XCTAssertEqual(forwarded.count, 5)
        let reports = await rtcpReceiver.receiveRtcp(timeout: .milliseconds(3000)) {
            if case .senderReport(let report) = $0 { return report.ssrc == consumerSsrc }
            return false
        }
        XCTAssertEqual(reports.count, 1, "no SR on the RTCP port")
        XCTAssertTrue(rtpReceiver.takeRtcp { _ in true }.isEmpty, "RTCP was sent to the RTP port")

        // Feedback arriving on the RTCP port reaches the producer's sender.
        try await rtcpReceiver.sendRtcp([
            .pictureLossIndication(PictureLossIndication(senderSsrc: 1, mediaSsrc: consumerSsrc))
        ])
        let plis = await sender.receiveRtcp {
            if case .pictureLossIndication(let pli) = $0 { return pli.mediaSsrc == 1202 }
            return false
        }
        XCTAssertEqual(plis.count, 1, "a PLI on the RTCP port did not reach the sender")
    }

    func testConnectedTransportDropsPacketsFromOtherAddresses() async throws {
        let (transport, sender) = try await plainPeer()
        let producer = try await transport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1203)))
        let (receiveTransport, receiver) = try await plainPeer()
        _ = try await consume(producer, on: receiveTransport)
        let stranger = MediaTestPeer(udp: try await udpEndpoint(), destination: try await address(of: transport))

        // The kernel refuses the stranger's datagram: the transport's socket is connected.
        var stream = RtpTestStream.vp8(ssrc: 1203)
        try await stranger.sendRtp(stream.next(keyFrame: true))

        let keyFrame = stream.next(keyFrame: true)
        try await sender.sendRtp(keyFrame)
        let forwarded = await receiver.receiveRtp(count: 2, timeout: .milliseconds(500))
        XCTAssertEqual(forwarded.map(\.payload), [keyFrame.payload], "only the connected sender's packet passes")
        let counters = try await counters(of: transport)
        XCTAssertEqual(counters.rtpBytesReceived, keyFrame.buffer.readableBytes, "the stranger's packet was taken in")
    }

    func testConnectTwiceIsRefused() async throws {
        let (transport, _) = try await plainPeer()
        do {
            try await transport.connect(PlainTransportConnectParameters(ip: "127.0.0.1", port: 9))
            XCTFail("second connect accepted")
        } catch let error as EngineError {
            guard case .invalidState = error else { return XCTFail("\(error)") }
            XCTAssertEqual(error.description, "connect() already called")
        }
    }

    func testSrtpWithoutSrtpParametersIsInvalidArgumentAndLeavesTransportConnectable() async throws {
        let transport = try await router.createPlainTransport(
            PlainTransportOptions(listenInfo: Self.loopback, enableSrtp: true))
        XCTAssertNotNil(transport.srtpParameters)
        do {
            try await transport.connect(PlainTransportConnectParameters(ip: "127.0.0.1", port: 9))
            XCTFail("connect without srtpParameters accepted")
        } catch let error as EngineError {
            guard case .invalidArgument = error else { return XCTFail("\(error)") }
        }
        let key = try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80)
        try await transport.connect(PlainTransportConnectParameters(
            ip: "127.0.0.1", port: 9, srtpParameters: SrtpParameters(masterKey: key)))
    }

    /// As mediasoup: SRTP keys for a transport without SRTP are refused, not ignored (the
    /// sender's SRTP would go on to consumers as if it were RTP).
    func testSrtpParametersWithoutSrtpAreRefused() async throws {
        let transport = try await router.createPlainTransport(PlainTransportOptions(listenInfo: Self.loopback))
        let key = try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80)
        do {
            try await transport.connect(PlainTransportConnectParameters(
                ip: "127.0.0.1", port: 9, srtpParameters: SrtpParameters(masterKey: key)))
            XCTFail("srtpParameters accepted without SRTP")
        } catch let error as EngineError {
            XCTAssertEqual(error, .invalidArgument("invalid srtpParameters (SRTP not enabled)"))
        }
        try await transport.connect(PlainTransportConnectParameters(ip: "127.0.0.1", port: 9))
    }
}
