import NIOCore
import XCTest
@testable import SFU

/// NACK handling through the engine: a consumer answers its receiver's NACKs from what it sent
/// (over RTX when negotiated, else on the media stream), and a producer NACKs the gaps it sees.
final class RetransmissionTests: EngineTestCase {
    /// A producer forwarding five packets to one consumer whose endpoint lost the third: what
    /// was sent, the lost packet as forwarded (header only, it is SRTP-protected), and the
    /// receiver.
    private func forwardFivePacketsLosingThird(
        kind: MediaKind, enableRtx: Bool? = nil, rtpCapabilities: RtpCapabilities? = nil
    ) async throws -> (consumer: Consumer, receiver: MediaTestPeer, sent: RtpPacket, lost: RtpPacket) {
        let (sendTransport, sender) = try await plainPeer(srtp: true)
        let ssrc: UInt32 = 5555
        let parameters =
            kind == .video ? EngineTestFixtures.vp8Parameters(ssrc: ssrc) : EngineTestFixtures.opusParameters(ssrc: ssrc)
        let producer = try await sendTransport.produce(ProducerOptions(kind: kind, rtpParameters: parameters))
        let (receiveTransport, receiver) = try await plainPeer(srtp: true)
        let consumer = try await consume(
            producer, on: receiveTransport, enableRtx: enableRtx, rtpCapabilities: rtpCapabilities)
        var stream = kind == .video ? RtpTestStream.vp8(ssrc: ssrc) : RtpTestStream.opus(ssrc: ssrc)
        receiver.loseIncomingRtp(at: [2])
        let sent = [stream.next(keyFrame: true)] + (0..<4).map { _ in stream.next() }
        try await sender.sendRtp(sent)
        let forwarded = await receiver.receiveRtp(count: 4)
        XCTAssertEqual(forwarded.count, 4)
        let lost = try XCTUnwrap(receiver.lostRtp.first)
        XCTAssertEqual(lost.sequenceNumber, forwarded[1].sequenceNumber &+ 1)
        return (consumer, receiver, sent[2], lost)
    }

    private func nack(_ packet: RtpPacket, from receiver: MediaTestPeer) async throws {
        try await receiver.sendRtcp([
            .genericNack(GenericNack(senderSsrc: 1, mediaSsrc: packet.ssrc, lostSequenceNumbers: [packet.sequenceNumber]))
        ])
    }

    func testNackedPacketIsRetransmittedOverRtx() async throws {
        let (consumer, receiver, sent, lost) = try await forwardFivePacketsLosingThird(kind: .video)
        let encoding = try XCTUnwrap(consumer.rtpParameters.encodings?.first)
        let rtxSsrc = try XCTUnwrap(encoding.rtx?.ssrc, "RTX not negotiated")
        let rtxCodec = try XCTUnwrap(consumer.rtpParameters.codecs.first { $0.isRtx })
        try await nack(lost, from: receiver)

        let retransmissions = await receiver.receiveRtp(count: 1) { $0.ssrc == rtxSsrc }
        let rtx = try XCTUnwrap(retransmissions.first, "no RTX packet")
        XCTAssertEqual(Int(rtx.payloadType), rtxCodec.payloadType)
        XCTAssertEqual(rtx.rtxOriginalSequenceNumber, lost.sequenceNumber)
        XCTAssertEqual(rtx.timestamp, lost.timestamp)
        var repaired = rtx
        try repaired.rtxDecapsulate(payloadType: lost.payloadType, ssrc: lost.ssrc)
        XCTAssertEqual(repaired.sequenceNumber, lost.sequenceNumber)
        XCTAssertEqual(repaired.payload, sent.payload)

        let stats = await consumer.getStats()
        guard case .outbound(let outbound) = stats.first else { return XCTFail("no outbound stats") }
        XCTAssertEqual(outbound.nackCount, 1)
        XCTAssertEqual(outbound.packetsRetransmitted, 1)
        let counters = try await counters(of: consumer.transport)
        XCTAssertEqual(counters.rtxBytesSent, rtx.size)
    }

    /// An endpoint that cannot receive RTX gets the packet again on the media stream.
    func testNackWithoutRtxNegotiatedResendsOnMediaStream() async throws {
        let capabilities = EngineTestFixtures.withoutRtx(router.rtpCapabilities)
        let (consumer, receiver, sent, lost) = try await forwardFivePacketsLosingThird(
            kind: .video, rtpCapabilities: capabilities)
        XCTAssertNil(consumer.rtpParameters.encodings?.first?.rtx)
        try await assertResentOnMediaStream(lost, payload: sent.payload, receiver: receiver)
    }

    /// Opus has no RTX codec; with `enableRtx` (NACK enabled) a lost packet is resent as is.
    func testAudioNackResendsOnMediaStream() async throws {
        let (consumer, receiver, sent, lost) = try await forwardFivePacketsLosingThird(kind: .audio, enableRtx: true)
        XCTAssertTrue(consumer.rtpParameters.codecs[0].rtcpFeedback.contains(.nack))
        try await assertResentOnMediaStream(lost, payload: sent.payload, receiver: receiver)
    }

    /// mediasoup: `enableRtx: false` removes plain `nack` from the consumer's feedback, so the
    /// consumer stores nothing and a NACK gets no resend (audio consumers default to this).
    func testNackIsIgnoredWhenRtxIsDisabled() async throws {
        let (consumer, receiver, _, lost) = try await forwardFivePacketsLosingThird(kind: .video, enableRtx: false)
        XCTAssertFalse(consumer.rtpParameters.codecs[0].rtcpFeedback.contains(.nack))
        XCTAssertNil(consumer.rtpParameters.encodings?.first?.rtx)
        try await nack(lost, from: receiver)
        let resent = await receiver.receiveRtp(count: 1, timeout: .milliseconds(300))
        XCTAssertTrue(resent.isEmpty, "a consumer without NACK resent a packet")
    }

    private func assertResentOnMediaStream(
        _ lost: RtpPacket, payload: ByteBuffer, receiver: MediaTestPeer, file: StaticString = #filePath,
        line: UInt = #line
    ) async throws {
        try await nack(lost, from: receiver)
        let resent = await receiver.receiveRtp(count: 1)
        let packet = try XCTUnwrap(resent.first, "no retransmission", file: file, line: line)
        XCTAssertEqual(packet.ssrc, lost.ssrc, file: file, line: line)
        XCTAssertEqual(packet.payloadType, lost.payloadType, file: file, line: line)
        XCTAssertEqual(packet.sequenceNumber, lost.sequenceNumber, file: file, line: line)
        XCTAssertEqual(packet.timestamp, lost.timestamp, file: file, line: line)
        XCTAssertEqual(packet.payload, payload, file: file, line: line)
    }

    func testSenderRtxRepairsTheGapItWasNackedFor() async throws {
        let (sendTransport, sender) = try await plainPeer(srtp: true)
        let producer = try await sendTransport.produce(ProducerOptions(
            kind: .video, rtpParameters: EngineTestFixtures.vp8ParametersWithRtx(ssrc: 6601, rtxSsrc: 6602)))
        let (receiveTransport, receiver) = try await plainPeer(srtp: true)
        _ = try await consume(producer, on: receiveTransport)
        var stream = RtpTestStream.vp8(ssrc: 6601)
        let delivered = [stream.next(keyFrame: true), stream.next(), stream.next()]
        let lost = delivered[1]
        try await sender.sendRtp([delivered[0], delivered[2]])
        let nacks = await sender.receiveRtcp {
            if case .genericNack(let nack) = $0 { return nack.lostSequenceNumbers == [lost.sequenceNumber] }
            return false
        }
        XCTAssertEqual(nacks.count, 1, "no NACK for the gap")

        let rtx = lost.rtxEncapsulated(payloadType: 97, ssrc: 6602, sequenceNumber: 1000)
        try await sender.sendRtp(rtx)
        let forwarded = await receiver.receiveRtp(count: 3)
        XCTAssertEqual(forwarded.count, 3)
        XCTAssertEqual(forwarded.last?.payload, lost.payload, "the repaired packet was not forwarded")
        XCTAssertEqual(forwarded.last?.sequenceNumber, forwarded[0].sequenceNumber &+ 1)
        let counters = try await counters(of: sendTransport)
        XCTAssertEqual(counters.rtxBytesReceived, rtx.size)
        XCTAssertEqual(counters.rtpBytesReceived, delivered[0].size + delivered[2].size)
        let stats = await producer.getStats()
        XCTAssertEqual(stats.first?.packetsRepaired, 1)
    }

    func testSequenceGapMakesProducerNackTheSender() async throws {
        let (sendTransport, sender) = try await plainPeer(srtp: true)
        _ = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 6666)))
        var stream = RtpTestStream.vp8(ssrc: 6666)
        try await sender.sendRtp(stream.next(keyFrame: true))
        try await sender.sendRtp(stream.next())
        let firstMissing = stream.sequenceNumber
        stream.skip(2)
        try await sender.sendRtp(stream.next())

        let nacks = await sender.receiveRtcp {
            if case .genericNack(let nack) = $0 { return nack.mediaSsrc == 6666 }
            return false
        }
        guard case .genericNack(let nack) = try XCTUnwrap(nacks.first, "no NACK reached the sender").packet else {
            return XCTFail("not a NACK")
        }
        XCTAssertEqual(nack.lostSequenceNumbers, [firstMissing, firstMissing &+ 1])
    }
}
