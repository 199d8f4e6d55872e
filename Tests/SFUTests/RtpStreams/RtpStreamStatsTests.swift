import Foundation
import XCTest

@testable import SFU

final class RtpStreamStatsTests: XCTestCase {
    private let baseKeys: Set<String> = [
        "type", "timestamp", "ssrc", "kind", "mimeType", "packetsLost", "fractionLost", "packetsDiscarded",
        "packetsRetransmitted", "packetsRepaired", "nackCount", "nackPacketCount", "pliCount", "firCount", "score",
    ]

    private func jsonObject(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testInboundStatsUseMediasoupFieldNames() throws {
        var stream = RtpStreamRecv(
            parameters: RtpStreamRecv.Parameters(
                ssrc: 0x1111, rtxSsrc: 0x2222, rid: "r0", kind: "video", mimeType: "video/VP8", clockRate: 90_000,
                temporalLayers: 3, useNack: true))
        _ = stream.receivePacket(RtpStreamRecv.PacketInfo(sequenceNumber: 1, timestamp: 0, size: 100), now: StreamTestTime.at(0))
        stream.roundTripTime = .milliseconds(25)
        let object = try jsonObject(stream.stats(now: StreamTestTime.at(5)))
        XCTAssertEqual(
            Set(object.keys),
            baseKeys.union([
                "rtxSsrc", "rid", "roundTripTime", "rtxPacketsDiscarded", "jitter", "packetCount", "byteCount", "bitrate",
                "bitrateByLayer",
            ]))
        XCTAssertEqual(object["type"] as? String, "inbound-rtp")
        XCTAssertEqual(object["timestamp"] as? Int, 1_000_005)
        XCTAssertEqual(object["roundTripTime"] as? Double, 25)
        XCTAssertEqual(Set((object["bitrateByLayer"] as? [String: Any])?.keys ?? [:].keys), ["0.0", "0.1", "0.2"])
    }

    func testOutboundStatsUseMediasoupFieldNames() throws {
        let stream = RtpStreamSend(
            parameters: RtpStreamSend.Parameters(ssrc: 0x3333, kind: "audio", mimeType: "audio/opus", clockRate: 48_000))
        let stats = stream.stats(now: StreamTestTime.at(0))
        let object = try jsonObject(stats)
        XCTAssertEqual(Set(object.keys), baseKeys.union(["packetCount", "byteCount", "bitrate", "roundTripTime"]))
        XCTAssertEqual(object["roundTripTime"] as? Double, 0, "present before it is measured, as in mediasoup")
        XCTAssertEqual(object["type"] as? String, "outbound-rtp")
        XCTAssertEqual(object["kind"] as? String, "audio")

        let decoded = try JSONDecoder().decode(RtpOutboundStreamStats.self, from: JSONEncoder().encode(stats))
        XCTAssertEqual(decoded, stats)
    }
}
