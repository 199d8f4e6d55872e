import NIOCore
import XCTest
@testable import SFU

/// The periodic RTCP a transport sends (every second): sender reports about what consumers
/// send, receiver reports about what producers receive.
final class RtcpReportTests: EngineTestCase {
    func testConsumerEndpointReceivesSenderReportWithCname() async throws {
        let (sendTransport, sender) = try await plainPeer(srtp: true)
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .audio, rtpParameters: EngineTestFixtures.opusParameters(ssrc: 7777)))
        let (receiveTransport, receiver) = try await plainPeer(srtp: true)
        let consumer = try await consume(producer, on: receiveTransport)
        let consumerSsrc = try XCTUnwrap(consumer.rtpParameters.encodings?.first?.ssrc)
        let cname = try XCTUnwrap(consumer.rtpParameters.rtcp?.cname)
        XCTAssertEqual(cname, producer.rtpParameters.rtcp?.cname)

        var stream = RtpTestStream.opus(ssrc: 7777)
        for _ in 0..<10 { try await sender.sendRtp(stream.next()) }
        let forwarded = await receiver.receiveRtp(count: 10)
        XCTAssertEqual(forwarded.count, 10)

        let reports = await receiver.receiveRtcp(timeout: .milliseconds(3000)) {
            if case .senderReport(let report) = $0 { return report.ssrc == consumerSsrc }
            return false
        }
        let received = try XCTUnwrap(reports.first, "no sender report within 1.5 s")
        guard case .senderReport(let report) = received.packet else { return XCTFail("not an SR") }
        XCTAssertEqual(report.packetCount, 10)
        XCTAssertEqual(report.octetCount, UInt32(forwarded.map(\.payloadLength).reduce(0, +)))
        let sdes = received.compound.packets.compactMap { packet -> Sdes? in
            if case .sourceDescription(let sdes) = packet { return sdes }
            return nil
        }
        XCTAssertEqual(sdes.first?.cname(ssrc: consumerSsrc), cname, "the SR came without the consumer's CNAME")
    }

    func testSenderEndpointReceivesReceiverReportAboutItsSsrc() async throws {
        let (sendTransport, sender) = try await plainPeer(srtp: true)
        _ = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 8888)))
        var stream = RtpTestStream.vp8(ssrc: 8888)
        try await sender.sendRtp(stream.next(keyFrame: true))
        for _ in 0..<9 { try await sender.sendRtp(stream.next()) }
        let lastSequenceNumber = stream.sequenceNumber &- 1

        let reports = await sender.receiveRtcp(timeout: .milliseconds(3000)) {
            if case .receiverReport(let report) = $0 { return report.reportBlocks.contains { $0.ssrc == 8888 } }
            return false
        }
        guard case .receiverReport(let report) = try XCTUnwrap(reports.first, "no RR within 1.5 s").packet else {
            return XCTFail("not an RR")
        }
        let block = try XCTUnwrap(report.reportBlocks.first { $0.ssrc == 8888 })
        XCTAssertEqual(block.totalLost, 0)
        XCTAssertEqual(UInt16(truncatingIfNeeded: block.highestSequenceNumber), lastSequenceNumber)
    }
}
