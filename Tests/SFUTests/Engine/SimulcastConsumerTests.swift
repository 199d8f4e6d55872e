import NIOCore
import XCTest
@testable import SFU

/// A simulcast producer (three SSRC-based VP8 encodings, L1T3) and one consumer over loopback:
/// the consumer forwards the highest active stream, moves down when it stops, follows its
/// preferred layers, and switches only at key frames without a seam in the sequence numbers or
/// the VP8 picture numbering.
final class SimulcastConsumerTests: EngineTestCase {
    private let ssrcs: [UInt32] = [2001, 2002, 2003]

    /// The encoding index a forwarded packet came from.
    private func layer(_ packet: RtpPacket) -> Int? {
        ssrcs.firstIndex { UInt8(truncatingIfNeeded: $0) == RtpTestStream.sourceSsrcLowByte(of: packet) }
    }

    private func pictureId(_ packet: RtpPacket) -> UInt16? {
        Vp8PayloadDescriptor(payload: packet.payload)?.pictureId
    }

    private static func spatialLayer(_ event: ConsumerEvent) -> Int?? {
        if case .layersChange(let layers) = event { return .some(layers?.spatialLayer) }
        return nil
    }

    /// Sends a frame on each active stream every 20 ms (a key frame where the sender was sent
    /// a PLI for that stream) until the forwarded packets satisfy `done` or `timeout` passes;
    /// returns the packets forwarded meanwhile.
    private func send(
        _ streams: inout [RtpTestStream], active: Range<Int>, from sender: MediaTestPeer, to receiver: MediaTestPeer,
        timeout: Duration = .seconds(4), until done: ([RtpPacket]) -> Bool
    ) async throws -> [RtpPacket] {
        let deadline = ContinuousClock.now + timeout
        var forwarded: [RtpPacket] = []
        while !done(forwarded), ContinuousClock.now < deadline {
            let requested = sender.takeKeyFrameRequests()
            for index in active {
                try await sender.sendRtp(streams[index].next(keyFrame: requested.contains(streams[index].ssrc)))
            }
            try await Task.sleep(for: .milliseconds(20))
            forwarded += await receiver.receiveRtp(count: .max, timeout: .zero)
        }
        return forwarded
    }

    /// A simulcast producer on one plain peer and its consumer on another, the consumer's
    /// events recorded.
    private func simulcastConsumer() async throws -> (
        sender: MediaTestPeer, receiver: MediaTestPeer, consumer: Consumer, events: EventRecorder<ConsumerEvent>
    ) {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8SimulcastParameters(ssrcs: ssrcs)))
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        return (sender, receiver, consumer, EventRecorder(consumer.events))
    }

    func testConsumerForwardsHighestActiveStreamSwitchesDownWhenItStopsAndFollowsPreferredLayers() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8SimulcastParameters(ssrcs: ssrcs)))
        XCTAssertEqual(producer.type, .simulcast)
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        XCTAssertEqual(consumer.type, .simulcast)
        XCTAssertEqual(consumer.rtpParameters.encodings?.count, 1)
        XCTAssertEqual(consumer.rtpParameters.encodings?.first?.scalabilityMode, "L3T3")
        let events = EventRecorder(consumer.events)
        var streams = ssrcs.map { RtpTestStream.vp8(ssrc: $0) }
        for index in streams.indices { try await sender.sendRtp(streams[index].next(keyFrame: true)) }

        // All three streams arrive: the consumer settles on the highest.
        var forwarded = try await send(&streams, active: 0..<3, from: sender, to: receiver) {
            $0.suffix(3).count == 3 && $0.suffix(3).allSatisfy { self.layer($0) == 2 }
        }
        let lastHigh = try XCTUnwrap(forwarded.last)
        XCTAssertEqual(layer(lastHigh), 2, "the consumer did not settle on the highest stream")
        XCTAssertEqual(events.events.compactMap(Self.spatialLayer).last, 2)
        let layers = await consumer.currentLayers
        XCTAssertEqual(layers, ConsumerLayers(spatialLayer: 2, temporalLayer: 2))

        // The highest stream stops: once it is inactive (1.5 s), the consumer moves to the middle
        // one at a key frame, continuing the sequence numbers and the clock.
        let stoppedAt = ContinuousClock.now
        forwarded = try await send(&streams, active: 0..<2, from: sender, to: receiver) {
            $0.contains { self.layer($0) == 1 }
        }
        let switchedAt = ContinuousClock.now
        let firstMiddle = try XCTUnwrap(forwarded.first, "the consumer never moved to the middle stream")
        XCTAssertEqual(layer(firstMiddle), 1)
        XCTAssertTrue(RtpTestStream.isVp8KeyFrame(firstMiddle), "the switch happened on a delta frame")
        XCTAssertEqual(firstMiddle.sequenceNumber, lastHigh.sequenceNumber &+ 1)
        XCTAssertEqual(pictureId(firstMiddle), try XCTUnwrap(pictureId(lastHigh)) &+ 1 & 0x7FFF, "the PictureID jumped")
        XCTAssertGreaterThan(switchedAt - stoppedAt, .milliseconds(1400), "switched before the stream was inactive")
        let advance = Double(firstMiddle.timestamp &- lastHigh.timestamp) / 90000
        XCTAssertGreaterThan(advance, 1.3, "the timestamp did not advance over the gap")
        XCTAssertLessThan(advance, 3)
        let middleReported = await events.wait { $0.compactMap(Self.spatialLayer).last == 1 }
        XCTAssertTrue(middleReported, "no layerschange to spatial layer 1")

        // Preferring the lowest layer switches down at its next key frame.
        await consumer.setPreferredLayers(ConsumerLayers(spatialLayer: 0))
        forwarded += try await send(&streams, active: 0..<2, from: sender, to: receiver) {
            $0.contains { self.layer($0) == 0 }
        }
        let switchIndex = try XCTUnwrap(forwarded.firstIndex { layer($0) == 0 }, "never switched to the lowest")
        XCTAssertGreaterThan(switchIndex, 0)
        let firstLow = forwarded[switchIndex]
        XCTAssertTrue(RtpTestStream.isVp8KeyFrame(firstLow))
        XCTAssertEqual(firstLow.sequenceNumber, forwarded[switchIndex - 1].sequenceNumber &+ 1)
        XCTAssertTrue(forwarded[switchIndex...].allSatisfy { layer($0) == 0 }, "streams mixed after the switch")
        // One packet per frame: every PictureID follows the one before, across both switches.
        let pictureIds = ([lastHigh] + forwarded).compactMap(pictureId)
        XCTAssertEqual(pictureIds.count, forwarded.count + 1)
        for (previous, next) in zip(pictureIds, pictureIds.dropFirst()) {
            XCTAssertEqual(next, (previous &+ 1) & 0x7FFF, "PictureIDs \(previous) then \(next)")
        }
        let lowReported = await events.wait { $0.compactMap(Self.spatialLayer).last == 0 }
        XCTAssertTrue(lowReported, "no layerschange to spatial layer 0")
    }

    func testPausingReportsNoLayersAndResumingReportsThemAgain() async throws {
        let (sender, receiver, consumer, events) = try await simulcastConsumer()
        var streams = ssrcs.map { RtpTestStream.vp8(ssrc: $0) }
        for index in streams.indices { try await sender.sendRtp(streams[index].next(keyFrame: true)) }
        _ = try await send(&streams, active: 0..<3, from: sender, to: receiver) { $0.contains { self.layer($0) == 2 } }
        let started = await events.wait { $0.compactMap(Self.spatialLayer).last == 2 }
        XCTAssertTrue(started)

        // As mediasoup: a paused consumer forwards no layers and says so.
        await consumer.pause()
        let cleared = await events.wait { $0.compactMap(Self.spatialLayer).last == .some(nil) }
        XCTAssertTrue(cleared, "no layerschange without layers on pause")
        let pausedLayers = await consumer.currentLayers
        XCTAssertNil(pausedLayers)

        await consumer.resume()
        _ = try await send(&streams, active: 0..<3, from: sender, to: receiver) { $0.contains { self.layer($0) == 2 } }
        let resumed = await events.wait { $0.compactMap(Self.spatialLayer).last == 2 }
        XCTAssertTrue(resumed, "no layerschange when forwarding started again")
        let resumedLayers = await consumer.currentLayers
        XCTAssertEqual(resumedLayers, ConsumerLayers(spatialLayer: 2, temporalLayer: 2))
    }

    func testPreferredTemporalLayerDropsHigherLayersWithoutGaps() async throws {
        let (sender, receiver, consumer, events) = try await simulcastConsumer()
        await consumer.setPreferredLayers(ConsumerLayers(spatialLayer: 2, temporalLayer: 0))
        var streams = ssrcs.map { ssrc in
            var stream = RtpTestStream.vp8(ssrc: ssrc)
            stream.temporalPattern = [0, 2, 1, 2]
            return stream
        }
        for index in streams.indices { try await sender.sendRtp(streams[index].next(keyFrame: true)) }

        func temporalLayer(_ packet: RtpPacket) -> UInt8? { Vp8PayloadDescriptor(payload: packet.payload)?.temporalLayer }
        let baseOnly = try await send(&streams, active: 0..<3, from: sender, to: receiver) {
            $0.filter { self.layer($0) == 2 }.count >= 6
        }.filter { layer($0) == 2 }
        XCTAssertGreaterThanOrEqual(baseOnly.count, 6)
        XCTAssertTrue(baseOnly.allSatisfy { temporalLayer($0) == 0 }, "layers above 0 were forwarded")
        for (previous, next) in zip(baseOnly, baseOnly.dropFirst()) {
            XCTAssertEqual(next.sequenceNumber, previous.sequenceNumber &+ 1, "a gap in the sequence numbers")
            XCTAssertEqual(pictureId(next), try XCTUnwrap(pictureId(previous)) &+ 1 & 0x7FFF, "a gap in the PictureIDs")
        }
        let layers = await consumer.currentLayers
        XCTAssertEqual(layers, ConsumerLayers(spatialLayer: 2, temporalLayer: 0))

        // Every layer again, from the next layer 0 frame on.
        await consumer.setPreferredLayers(ConsumerLayers(spatialLayer: 2, temporalLayer: 2))
        let all = try await send(&streams, active: 0..<3, from: sender, to: receiver) {
            Set($0.compactMap(temporalLayer)) == [0, 1, 2]
        }
        XCTAssertEqual(Set(all.compactMap(temporalLayer)), [0, 1, 2])
        let reported = await events.wait {
            $0.contains { if case .layersChange(let layers) = $0 { return layers?.temporalLayer == 2 } else { return false } }
        }
        XCTAssertTrue(reported, "no layerschange to temporal layer 2")
        let pictureIds = (baseOnly.suffix(1) + all).compactMap(pictureId)
        for (previous, next) in zip(pictureIds, pictureIds.dropFirst()) {
            XCTAssertEqual(next, (previous &+ 1) & 0x7FFF, "PictureIDs \(previous) then \(next)")
        }
    }
}
