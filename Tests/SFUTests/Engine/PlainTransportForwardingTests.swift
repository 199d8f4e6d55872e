import NIOCore
import XCTest
@testable import SFU

/// A producer on a plain SRTP transport forwarded to consumers on other plain SRTP transports,
/// over real loopback sockets, with VP8 frames from the synthetic source decoded at each end.
final class PlainTransportForwardingTests: EngineTestCase {
    private func plainOptions(srtp: Bool = true) -> PlainTransportOptions {
        PlainTransportOptions(listenInfo: TransportListenInfo(protocol: .udp, ip: "127.0.0.1"), enableSrtp: srtp)
    }

    func testVp8ProducerReachesThreeSrtpConsumersIntact() async throws {
        let sender = try await UdpTestEndpoint(group: group)
        let senderKey = try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80)
        let sendTransport = try await router.createPlainTransport(plainOptions())
        try await sendTransport.connect(PlainTransportConnectParameters(
            ip: "127.0.0.1", port: sender.port, srtpParameters: SrtpParameters(masterKey: senderKey)))
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1111)))

        var receivers: [(UdpTestEndpoint, SrtpSession, Consumer)] = []
        for _ in 0..<3 {
            let endpoint = try await UdpTestEndpoint(group: group)
            let transport = try await router.createPlainTransport(plainOptions())
            let receiverKey = try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80)
            try await transport.connect(PlainTransportConnectParameters(
                ip: "127.0.0.1", port: endpoint.port, srtpParameters: SrtpParameters(masterKey: receiverKey)))
            let consumer = try await transport.consume(
                ConsumerOptions(producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true))
            XCTAssertEqual(consumer.rtpParameters.codecs.first?.payloadType, 101)
            await consumer.resume()
            let serverKey = try XCTUnwrap(transport.srtpParameters)
            let decryptor = try SrtpSession(
                direction: .inbound,
                masterKey: SrtpMasterKey(suite: serverKey.cryptoSuite, keyBase64: serverKey.keyBase64))
            receivers.append((endpoint, decryptor, consumer))
        }

        let encryptor = try SrtpSession(direction: .outbound, masterKey: senderKey)
        let source = try SyntheticVideoSource(configuration: .init(payloadType: 96, ssrc: 1111))
        let destination = try SocketAddress(ipAddress: "127.0.0.1", port: await sendTransport.tuple.localPort)
        var sentPackets = 0
        for _ in 0..<30 {
            for packet in try source.nextFrame().packets {
                var buffer = packet.buffer
                guard case .success = encryptor.protectRtp(&buffer) else { return XCTFail("protect failed") }
                try await sender.send(buffer, to: destination)
                sentPackets += 1
            }
            try await Task.sleep(for: .milliseconds(5))
        }

        for (endpoint, decryptor, consumer) in receivers {
            let checker = try SyntheticVideoChecker()
            let datagrams = await endpoint.receive(count: sentPackets) { !RtcpHeader.looksLikeRtcp($0) }
            XCTAssertEqual(datagrams.count, sentPackets)
            for datagram in datagrams {
                var buffer = datagram
                guard case .success = decryptor.unprotectRtp(&buffer) else { return XCTFail("unprotect failed") }
                let packet = try RtpPacket(buffer: buffer)
                XCTAssertEqual(packet.ssrc, consumer.rtpParameters.encodings?.first?.ssrc)
                XCTAssertEqual(packet.payloadType, 101)
                checker.receive(packet)
            }
            XCTAssertEqual(checker.report.framesDecoded, 30)
            XCTAssertEqual(checker.report.lostPackets, 0)
            XCTAssertTrue(checker.report.isIntact, "\(checker.report)")
        }
        await sender.close()
        for (endpoint, _, _) in receivers { await endpoint.close() }
    }
}
