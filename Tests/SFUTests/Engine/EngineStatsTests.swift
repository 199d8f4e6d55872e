import NIOCore
import XCTest
@testable import SFU

/// `getStats()` of producers, consumers and transports, encoded to JSON as the signaling
/// faces send it, with mediasoup's key names (§4.15).
final class EngineStatsTests: EngineTestCase {
    private static let rtpStreamKeys: Set<String> = [
        "type", "timestamp", "ssrc", "kind", "mimeType", "packetsLost", "fractionLost", "packetsDiscarded",
        "packetsRetransmitted", "packetsRepaired", "nackCount", "nackPacketCount", "pliCount", "firCount", "score",
        "packetCount", "byteCount", "bitrate", "roundTripTime",
    ]
    private static let inboundKeys = rtpStreamKeys.union(["jitter", "bitrateByLayer"])
    private static let transportKeys: Set<String> = [
        "type", "transportId", "timestamp", "bytesReceived", "recvBitrate", "bytesSent", "sendBitrate",
        "rtpBytesReceived", "rtpRecvBitrate", "rtpBytesSent", "rtpSendBitrate", "rtxBytesReceived", "rtxRecvBitrate",
        "rtxBytesSent", "rtxSendBitrate", "probationBytesSent", "probationSendBitrate",
    ]

    /// `value` as the JSON object or array a signaling face sends.
    private func json<Shape>(_ value: some Encodable, as shape: Shape.Type) throws -> Shape {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
        return try XCTUnwrap(object as? Shape, "not a \(Shape.self): \(object)")
    }

    private func assertKeys(
        _ object: [String: Any], contain expected: Set<String>, file: StaticString = #filePath, line: UInt = #line
    ) {
        let missing = expected.subtracting(object.keys)
        XCTAssertTrue(missing.isEmpty, "missing mediasoup keys \(missing.sorted())", file: file, line: line)
    }

    func testProducerConsumerAndTransportStatsHaveMediasoupShapes() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 3001)))
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        var stream = RtpTestStream.vp8(ssrc: 3001)
        try await sender.sendRtp(stream.next(keyFrame: true))
        for _ in 0..<9 { try await sender.sendRtp(stream.next()) }
        let forwarded = await receiver.receiveRtp(count: 10)
        XCTAssertEqual(forwarded.count, 10)

        let producerStats = try json(await producer.getStats(), as: [[String: Any]].self)
        XCTAssertEqual(producerStats.count, 1, "one entry per received stream")
        let inbound = try XCTUnwrap(producerStats.first)
        assertKeys(inbound, contain: Self.inboundKeys)
        XCTAssertEqual(inbound["type"] as? String, "inbound-rtp")
        XCTAssertEqual(inbound["ssrc"] as? Int, 3001)
        XCTAssertEqual(inbound["kind"] as? String, "video")
        XCTAssertEqual(inbound["mimeType"] as? String, "video/VP8")
        XCTAssertEqual(inbound["packetCount"] as? Int, 10)
        XCTAssertGreaterThan(inbound["byteCount"] as? Int ?? 0, 0)

        let consumerStats = try json(await consumer.getStats(), as: [[String: Any]].self)
        XCTAssertEqual(consumerStats.map { $0["type"] as? String }, ["outbound-rtp", "inbound-rtp"])
        let outbound = consumerStats[0]
        assertKeys(outbound, contain: Self.rtpStreamKeys)
        assertKeys(consumerStats[1], contain: Self.inboundKeys)
        XCTAssertEqual(outbound["ssrc"] as? Int, consumer.rtpParameters.encodings?.first?.ssrc.map(Int.init))
        XCTAssertEqual(outbound["packetCount"] as? Int, 10)
        XCTAssertEqual(consumerStats[1]["ssrc"] as? Int, 3001)

        let sending = try json(await sendTransport.getStats(), as: [String: Any].self)
        assertKeys(sending, contain: Self.transportKeys.union(["rtcpMux", "comedia", "tuple"]))
        XCTAssertEqual(sending["type"] as? String, "plain-rtp-transport")
        XCTAssertEqual(sending["transportId"] as? String, sendTransport.id)
        XCTAssertGreaterThan(sending["rtpBytesReceived"] as? Int ?? 0, 0)
        XCTAssertGreaterThan(sending["rtpRecvBitrate"] as? Int ?? 0, 0)
        let tuple = try XCTUnwrap(sending["tuple"] as? [String: Any])
        assertKeys(tuple, contain: ["localAddress", "localPort", "remoteIp", "remotePort", "protocol"])
        XCTAssertEqual(tuple["protocol"] as? String, "udp")

        let receiving = try json(await receiveTransport.getStats(), as: [String: Any].self)
        XCTAssertEqual(
            receiving["rtpBytesSent"] as? Int, forwarded.map(\.size).reduce(0, +), "forwarded RTP bytes, RTCP excluded")
        XCTAssertGreaterThan(receiving["rtpSendBitrate"] as? Int ?? 0, 0)
        XCTAssertEqual(receiving["rtxBytesSent"] as? Int, 0)

        let webRtc = try await router.createWebRtcTransport(WebRtcTransportOptions(listenInfos: [Self.loopback]))
        let webRtcStats = try json(await webRtc.getStats(), as: [String: Any].self)
        assertKeys(webRtcStats, contain: Self.transportKeys.union(["iceRole", "iceState", "dtlsState"]))
        XCTAssertEqual(webRtcStats["type"] as? String, "webrtc-transport")
        XCTAssertEqual(webRtcStats["iceRole"] as? String, "controlled")
        XCTAssertEqual(webRtcStats["iceState"] as? String, "new")
        XCTAssertEqual(webRtcStats["dtlsState"] as? String, "new")
    }
}
