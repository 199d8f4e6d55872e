import NIOCore
import XCTest
@testable import SFU

/// What a consumer forwards and what it takes from its receiver, as mediasoup's consumers do:
/// video whose key frames the server cannot tell starts at once, padding-only packets stay
/// behind without a gap, a sender's restarted sequence numbers continue the output, and
/// receiver reports about the RTX stream leave the media stream's loss alone.
final class ConsumerForwardingRulesTests: EngineTestCase {
    func testAnAv1ConsumerForwardsWithoutWaitingForAKeyFrame() async throws {
        let av1Router = try await worker.createRouter(mediaCodecs: [
            RtpCodecCapability(kind: .video, mimeType: "video/AV1", clockRate: 90000)
        ])
        let (sendTransport, sender) = try await plainPeer(on: av1Router)
        var parameters = EngineTestFixtures.vp8Parameters(ssrc: 7301)
        parameters.codecs[0].mimeType = "video/AV1"
        let producer = try await sendTransport.produce(ProducerOptions(kind: .video, rtpParameters: parameters))
        let (receiveTransport, receiver) = try await plainPeer(on: av1Router)
        _ = try await receiveTransport.consume(
            ConsumerOptions(producerId: producer.id, rtpCapabilities: av1Router.rtpCapabilities))

        // AV1 aggregation headers and OBUs the server does not read: none says "key frame".
        var stream = RtpTestStream.vp8(ssrc: 7301)
        for _ in 0..<3 {
            var packet = stream.next()
            packet = RtpPacket(
                payloadType: packet.payloadType, sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp,
                ssrc: packet.ssrc, marker: true, payloadBytes: [0x10, 0x32, 0x00] + [UInt8](repeating: 0xAA, count: 50))
            try await sender.sendRtp(packet)
        }
        let forwarded = await receiver.receiveRtp(count: 3)
        XCTAssertEqual(forwarded.count, 3, "the consumer waited for a key frame it cannot recognise")
    }

    func testAStreamFoundByMidIsStillFoundOnceItsPacketsNoLongerCarryTheMid() async throws {
        let (sendTransport, sender) = try await plainPeer()
        var parameters = EngineTestFixtures.vp8Parameters(ssrc: 7305)
        parameters.mid = "0"
        parameters.encodings = [RtpEncodingParameters()]
        parameters.headerExtensions = [RtpHeaderExtensionParameters(uri: RtpHeaderExtensionUri.mid.rawValue, id: 1)]
        let producer = try await sendTransport.produce(ProducerOptions(kind: .video, rtpParameters: parameters))
        let (receiveTransport, receiver) = try await plainPeer()
        _ = try await consume(producer, on: receiveTransport)

        // libwebrtc stops writing the mid once the SSRC is acknowledged: the SSRC, learnt from the
        // first packets, must carry the rest (the producer rewrites what it forwards to its
        // mapped SSRC, which is not the one to learn).
        var stream = RtpTestStream.vp8(ssrc: 7305)
        var first = stream.next(keyFrame: true)
        try first.setMid("0", extensionId: 1)
        try await sender.sendRtp(first)
        let firstForwarded = await receiver.receiveRtp(count: 1)
        XCTAssertEqual(firstForwarded.count, 1)
        try await sender.sendRtp((0..<3).map { _ in stream.next() })
        let later = await receiver.receiveRtp(count: 3)
        XCTAssertEqual(later.count, 3, "packets without the mid were dropped")
    }

    func testPaddingOnlyPacketsAreNotForwardedAndLeaveNoGap() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 7302)))
        let (receiveTransport, receiver) = try await plainPeer()
        _ = try await consume(producer, on: receiveTransport)

        var stream = RtpTestStream.vp8(ssrc: 7302)
        let keyFrame = stream.next(keyFrame: true)
        let padding = RtpPacket(
            payloadType: keyFrame.payloadType, sequenceNumber: stream.sequenceNumber, timestamp: keyFrame.timestamp,
            ssrc: 7302, payloadBytes: [], paddingLength: 200)
        stream.sequenceNumber &+= 1
        let delta = stream.next()
        try await sender.sendRtp([keyFrame, padding, delta])
        let forwarded = await receiver.receiveRtp(count: 3, timeout: .milliseconds(700))
        XCTAssertEqual(forwarded.map(\.payload), [keyFrame.payload, delta.payload], "padding was forwarded")
        XCTAssertEqual(forwarded.count, 2)
        if forwarded.count == 2 {
            XCTAssertEqual(forwarded[1].sequenceNumber, forwarded[0].sequenceNumber &+ 1, "the padding left a gap")
        }
    }

    func testASenderRestartingItsSequenceNumbersKeepsTheOutputContinuous() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 7304)))
        let (receiveTransport, receiver) = try await plainPeer()
        _ = try await consume(producer, on: receiveTransport)

        var stream = RtpTestStream.vp8(ssrc: 7304)
        try await sender.sendRtp([stream.next(keyFrame: true), stream.next(), stream.next()])
        // The same SSRC starts again 10 000 numbers back (a restarted encoder): the first packet
        // is held as a possible stray, the next one confirms the restart.
        stream.sequenceNumber &-= 10_000
        try await sender.sendRtp([stream.next(), stream.next(), stream.next()])
        let forwarded = await receiver.receiveRtp(count: 5)
        XCTAssertEqual(forwarded.count, 5, "packets after the restart were refused as old")
        for (earlier, later) in zip(forwarded, forwarded.dropFirst()) {
            XCTAssertEqual(later.sequenceNumber, earlier.sequenceNumber &+ 1)
        }
    }

    func testReportsAboutTheRtxStreamLeaveTheMediaStreamsLossAlone() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 7303)))
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        let encoding = try XCTUnwrap(consumer.rtpParameters.encodings?.first)
        let (mediaSsrc, rtxSsrc) = (try XCTUnwrap(encoding.ssrc), try XCTUnwrap(encoding.rtx?.ssrc, "no RTX"))

        var stream = RtpTestStream.vp8(ssrc: 7303)
        try await sender.sendRtp([stream.next(keyFrame: true)] + (0..<9).map { _ in stream.next() })
        let forwarded = await receiver.receiveRtp(count: 10)
        let highest = UInt32(try XCTUnwrap(forwarded.last).sequenceNumber)
        // One RR, as Chrome sends once retransmissions flow: the media block, then the RTX one.
        try await receiver.sendRtcp([
            .receiverReport(ReceiverReport(ssrc: 1, reportBlocks: [
                ReportBlock(ssrc: mediaSsrc, fractionLost: 64, totalLost: 3, highestSequenceNumber: highest),
                ReportBlock(ssrc: rtxSsrc, fractionLost: 0, totalLost: 0, highestSequenceNumber: 5),
            ]))
        ])
        let reported = await BoundedWait.until(timeout: .seconds(2)) {
            await Self.outbound(of: consumer)?.packetsLost == 3
        }
        XCTAssertTrue(reported, "the media stream's loss was overwritten by the RTX stream's report")
        let stats = await Self.outbound(of: consumer)
        XCTAssertEqual(stats?.fractionLost, 64)
    }

    private static func outbound(of consumer: Consumer) async -> RtpOutboundStreamStats? {
        for case .outbound(let stats) in await consumer.getStats() { return stats }
        return nil
    }
}
