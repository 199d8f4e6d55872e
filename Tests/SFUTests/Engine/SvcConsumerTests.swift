import NIOCore
import XCTest
@testable import SFU

/// A VP9 K-SVC producer (L3T3_KEY, one packet per spatial layer frame) and one consumer over
/// loopback: the consumer forwards every layer until it prefers fewer, then, from the key frame
/// it asks for, only the preferred ones, with the marker bit on the last packet it forwards of
/// each picture and no gap in the sequence numbers; preferring every layer again brings them
/// back at the next key frame.
final class SvcConsumerTests: EngineTestCase {
    private let ssrc: UInt32 = 3001

    /// Sends a picture every 20 ms (a key picture when the sender was sent a PLI) until the
    /// forwarded packets satisfy `done` or `timeout` passes; returns the packets forwarded meanwhile.
    private func send(
        _ stream: inout Vp9SvcTestStream, from sender: MediaTestPeer, to receiver: MediaTestPeer,
        timeout: Duration = .seconds(4), until done: ([RtpPacket]) -> Bool
    ) async throws -> [RtpPacket] {
        let deadline = ContinuousClock.now + timeout
        var forwarded: [RtpPacket] = []
        while !done(forwarded), ContinuousClock.now < deadline {
            let keyFrame = sender.takeKeyFrameRequests().contains(ssrc)
            try await sender.sendRtp(stream.nextPicture(keyFrame: keyFrame))
            try await Task.sleep(for: .milliseconds(20))
            forwarded += await receiver.receiveRtp(count: .max, timeout: .zero)
        }
        return forwarded
    }

    private func assertContinuous(_ packets: [RtpPacket], file: StaticString = #filePath, line: UInt = #line) {
        for (previous, next) in zip(packets, packets.dropFirst()) {
            XCTAssertEqual(next.sequenceNumber, previous.sequenceNumber &+ 1, "a gap in the sequence numbers", file: file, line: line)
        }
    }

    func testPreferredLayersSwitchAtKeyFramesWithMarkersAndWithoutGaps() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(ProducerOptions(kind: .video, rtpParameters: Vp9SvcTestStream(ssrc: ssrc).parameters))
        XCTAssertEqual(producer.type, .svc)
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        XCTAssertEqual(consumer.type, .svc)
        XCTAssertEqual(consumer.rtpParameters.encodings?.first?.scalabilityMode, "L3T3_KEY")
        var stream = Vp9SvcTestStream(ssrc: ssrc)
        try await sender.sendRtp(stream.nextPicture(keyFrame: true))

        // Every layer: a key picture whole, a predicted one (K-SVC: each layer refers to its own
        // frames only) by its top layer alone, the marker on the top layer.
        var forwarded = try await send(&stream, from: sender, to: receiver) { $0.count >= 24 }
        XCTAssertGreaterThanOrEqual(forwarded.count, 24)
        let all = Array(forwarded.drop { Vp9SvcTestStream.layers(of: $0)?.spatial != 0 })
        XCTAssertEqual(Set(all.compactMap { Vp9SvcTestStream.layers(of: $0)?.spatial }), [0, 1, 2])
        XCTAssertEqual(Set(all.compactMap { Vp9SvcTestStream.layers(of: $0)?.temporal }), [0, 1, 2])
        XCTAssertTrue(all.allSatisfy { $0.marker == (Vp9SvcTestStream.layers(of: $0)?.spatial == 2) }, "markers moved")
        let predicted = all.filter { Vp9PayloadDescriptor(payload: $0.payload)?.isInterPicturePredicted == true }
        XCTAssertFalse(predicted.isEmpty)
        XCTAssertTrue(predicted.allSatisfy { Vp9SvcTestStream.layers(of: $0)?.spatial == 2 }, "lower layers of predicted pictures")
        assertContinuous(forwarded)
        let layersBefore = await consumer.currentLayers
        XCTAssertEqual(layersBefore, ConsumerLayers(spatialLayer: 2, temporalLayer: 2))

        // The lowest layers: K-SVC switches down at the key frame the consumer asks for.
        let events = EventRecorder(consumer.events)
        await consumer.setPreferredLayers(ConsumerLayers(spatialLayer: 0, temporalLayer: 0))
        forwarded += try await send(&stream, from: sender, to: receiver) { packets in
            packets.suffix(6).count == 6 && packets.suffix(6).allSatisfy { Vp9SvcTestStream.layers(of: $0)?.spatial == 0 }
        }
        assertContinuous(forwarded)
        let lowStart = try XCTUnwrap(
            forwarded.lastIndex { Vp9SvcTestStream.layers(of: $0)?.spatial != 0 }.map { $0 + 1 }, "never left the upper layers")
        let low = forwarded[lowStart...]
        XCTAssertGreaterThanOrEqual(low.count, 6)
        XCTAssertTrue(
            low.allSatisfy { Vp9SvcTestStream.layers(of: $0)?.spatial == 0 && Vp9SvcTestStream.layers(of: $0)?.temporal == 0 },
            "layers above the preferred ones were forwarded")
        XCTAssertTrue(low.allSatisfy(\.marker), "the lowest layer's frames do not end their pictures")
        let lowReported = await events.wait { events in
            events.contains { event in
                if case .layersChange(let layers) = event { return layers == ConsumerLayers(spatialLayer: 0, temporalLayer: 0) }
                return false
            }
        }
        XCTAssertTrue(lowReported, "no layerschange to 0/0")

        // Every layer again, from the next key frame.
        await consumer.setPreferredLayers(ConsumerLayers(spatialLayer: 2, temporalLayer: 2))
        let again = try await send(&stream, from: sender, to: receiver) { packets in
            packets.contains { Vp9SvcTestStream.layers(of: $0)?.spatial == 2 }
        }
        XCTAssertTrue(again.contains { Vp9SvcTestStream.layers(of: $0)?.spatial == 2 }, "the upper layers never came back")
        assertContinuous(Array(forwarded.suffix(1)) + again)
        let layersAfter = await consumer.currentLayers
        XCTAssertEqual(layersAfter, ConsumerLayers(spatialLayer: 2, temporalLayer: 2))
    }

    /// The engine's API takes any preference: a negative one means the lowest layers (the room
    /// refuses them before they get here).
    func testNegativePreferredLayersMeanTheLowest() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: Vp9SvcTestStream(ssrc: ssrc).parameters))
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        await consumer.setPreferredLayers(ConsumerLayers(spatialLayer: -3, temporalLayer: -1))
        var stream = Vp9SvcTestStream(ssrc: ssrc)
        try await sender.sendRtp(stream.nextPicture(keyFrame: true))
        // Over a second, so that the bandwidth estimate is shared among the consumers too.
        let forwarded = try await send(&stream, from: sender, to: receiver, timeout: .milliseconds(1500)) { _ in false }
        XCTAssertFalse(forwarded.isEmpty)
        XCTAssertTrue(forwarded.allSatisfy {
            Vp9SvcTestStream.layers(of: $0)?.spatial == 0 && Vp9SvcTestStream.layers(of: $0)?.temporal == 0
        })
        let layers = await consumer.currentLayers
        XCTAssertEqual(layers, ConsumerLayers(spatialLayer: 0, temporalLayer: 0))
    }

    func testAKSvcConsumerAimsNoHigherThanTheLayersTheSenderSends() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(ProducerOptions(kind: .video, rtpParameters: Vp9SvcTestStream(ssrc: ssrc).parameters))
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        // L3T3_KEY announced, two spatial layers sent (a small camera, a poor uplink).
        var stream = Vp9SvcTestStream(ssrc: ssrc)
        stream.packetsPerLayer = [1, 1]
        try await sender.sendRtp(stream.nextPicture(keyFrame: true))
        let forwarded = try await send(&stream, from: sender, to: receiver) { packets in
            packets.filter { Vp9PayloadDescriptor(payload: $0.payload)?.isInterPicturePredicted == true }.count >= 10
        }
        let predicted = forwarded.filter { Vp9PayloadDescriptor(payload: $0.payload)?.isInterPicturePredicted == true }
        XCTAssertGreaterThanOrEqual(predicted.count, 10, "predicted pictures stopped: the consumer waits for a layer never sent")
        XCTAssertTrue(predicted.suffix(5).allSatisfy { Vp9SvcTestStream.layers(of: $0)?.spatial == 1 })
        let layers = await consumer.currentLayers
        XCTAssertEqual(layers?.spatialLayer, 1)
    }
}
