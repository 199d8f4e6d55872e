import NIOCore
import XCTest
@testable import SFU

/// Pausing and resuming consumers and producers over loopback plain transports: nothing flows
/// while paused, video restarts at a key frame asked for with a PLI, and the receiver sees one
/// continuous stream across the pause.
final class ConsumerPauseResumeTests: EngineTestCase {
    func testPausedConsumerForwardsNothingAndResumesAtKeyFrameAfterPli() async throws {
        let (sendTransport, sender) = try await plainPeer(srtp: true)
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1111)))
        let (receiveTransport, receiver) = try await plainPeer(srtp: true)
        let consumer = try await consume(producer, on: receiveTransport, paused: true)

        var stream = RtpTestStream.vp8(ssrc: 1111)
        try await sender.sendRtp(stream.next(keyFrame: true))
        for _ in 0..<5 { try await sender.sendRtp(stream.next()) }
        let whilePaused = await receiver.receiveRtp(count: 1, timeout: .milliseconds(300))
        XCTAssertTrue(whilePaused.isEmpty, "a paused consumer forwarded \(whilePaused.count) packet(s)")

        await consumer.resume()
        let plis = await sender.receiveRtcp {
            if case .pictureLossIndication(let pli) = $0 { return pli.mediaSsrc == 1111 }
            return false
        }
        XCTAssertEqual(plis.count, 1, "the sender got no PLI after the consumer resumed")
        // Delta frames before the requested key frame must not reach the receiver.
        for _ in 0..<3 { try await sender.sendRtp(stream.next()) }
        try await sender.sendRtp(stream.next(keyFrame: true))
        try await sender.sendRtp(stream.next())

        let forwarded = await receiver.receiveRtp(count: 2)
        XCTAssertEqual(forwarded.count, 2)
        let first = try XCTUnwrap(forwarded.first)
        XCTAssertTrue(RtpTestStream.isVp8KeyFrame(first), "the first packet after resume is not a key frame")
        XCTAssertEqual(first.ssrc, consumer.rtpParameters.encodings?.first?.ssrc)
        XCTAssertEqual(first.payloadType, EngineTestFixtures.routerVp8PayloadType)
        XCTAssertEqual(forwarded.last?.sequenceNumber, first.sequenceNumber &+ 1)
    }

    func testProducerPauseAndResumeKeepSequenceAndTimestampContinuity() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 2222)))
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        let events = EventRecorder(consumer.events)

        var stream = RtpTestStream.vp8(ssrc: 2222)
        try await sender.sendRtp(stream.next(keyFrame: true))
        for _ in 0..<4 { try await sender.sendRtp(stream.next()) }
        let beforePause = await receiver.receiveRtp(count: 5)
        XCTAssertEqual(beforePause.count, 5)
        let last = try XCTUnwrap(beforePause.last)
        let lastSentAt = ContinuousClock.now

        await producer.pause()
        let pauseReported = await events.wait { $0.contains(.producerPause) }
        XCTAssertTrue(pauseReported)
        for _ in 0..<5 { try await sender.sendRtp(stream.next()) }
        let whilePaused = await receiver.receiveRtp(count: 1, timeout: .milliseconds(300))
        XCTAssertTrue(whilePaused.isEmpty, "packets of a paused producer were forwarded")

        await producer.resume()
        let resumeReported = await events.wait { $0.contains(.producerResume) }
        XCTAssertTrue(resumeReported)
        let resumedAt = try await sendKeyFrameWhenAsked(sender, stream: &stream)
        let resumed = await receiver.receiveRtp(count: 1)
        let afterResume = try XCTUnwrap(resumed.first, "nothing forwarded after resume")
        XCTAssertTrue(RtpTestStream.isVp8KeyFrame(afterResume))
        XCTAssertEqual(afterResume.sequenceNumber, last.sequenceNumber &+ 1)
        assertTimestampAdvance(from: last, to: afterResume, clockRate: 90000, elapsed: resumedAt - lastSentAt)
    }

    func testConsumerPauseAndResumeKeepSequenceAndTimestampContinuity() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .audio, rtpParameters: EngineTestFixtures.opusParameters(ssrc: 3333)))
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)

        var stream = RtpTestStream.opus(ssrc: 3333)
        for _ in 0..<5 { try await sender.sendRtp(stream.next()) }
        let beforePause = await receiver.receiveRtp(count: 5)
        XCTAssertEqual(beforePause.count, 5)
        XCTAssertEqual(beforePause.first?.payloadType, EngineTestFixtures.routerOpusPayloadType)
        let last = try XCTUnwrap(beforePause.last)
        let lastSentAt = ContinuousClock.now

        await consumer.pause()
        for _ in 0..<10 { try await sender.sendRtp(stream.next()) }
        let whilePaused = await receiver.receiveRtp(count: 1, timeout: .milliseconds(300))
        XCTAssertTrue(whilePaused.isEmpty, "a paused consumer forwarded packets")

        await consumer.resume()
        let resumedAt = ContinuousClock.now
        try await sender.sendRtp(stream.next())
        let resumed = await receiver.receiveRtp(count: 1)
        let afterResume = try XCTUnwrap(resumed.first, "nothing forwarded after resume")
        XCTAssertEqual(afterResume.sequenceNumber, last.sequenceNumber &+ 1)
        assertTimestampAdvance(from: last, to: afterResume, clockRate: 48000, elapsed: resumedAt - lastSentAt)
    }

    /// Waits for the sender's PLI and answers it with a key frame; returns when it was sent.
    private func sendKeyFrameWhenAsked(
        _ sender: MediaTestPeer, stream: inout RtpTestStream
    ) async throws -> ContinuousClock.Instant {
        let ssrc = stream.ssrc
        let plis = await sender.receiveRtcp(timeout: .seconds(3)) {
            if case .pictureLossIndication(let pli) = $0 { return pli.mediaSsrc == ssrc }
            return false
        }
        XCTAssertFalse(plis.isEmpty, "no PLI reached the sender")
        let sentAt = ContinuousClock.now
        try await sender.sendRtp(stream.next(keyFrame: true))
        return sentAt
    }

    /// The receiver's clock moved by about the wall time between the two packets (±100 ms:
    /// scheduling on a loaded machine).
    private func assertTimestampAdvance(
        from before: RtpPacket, to after: RtpPacket, clockRate: Double, elapsed: Duration,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let advance = Double(after.timestamp &- before.timestamp) / clockRate
        let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        XCTAssertEqual(advance, seconds, accuracy: 0.1, "timestamp advanced \(advance) s over \(seconds) s", file: file, line: line)
    }
}
