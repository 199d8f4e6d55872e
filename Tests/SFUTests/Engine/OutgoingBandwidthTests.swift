import NIOCore
import XCTest
@testable import SFU

/// A transport estimates what it can send to its endpoint from the endpoint's transport-cc
/// feedback, probes for more with RTX padding, and moves a simulcast consumer to the encoding
/// the estimate leaves room for. The endpoint here is a test receiver behind a simulated
/// bottleneck: it computes when each packet would arrive through a path of a given capacity
/// and reports that in real transport-cc feedback every 100 ms.
final class OutgoingBandwidthTests: EngineTestCase {
    private let ssrcs: [UInt32] = [3001, 3002, 3003]
    /// Packets (of about 120 bytes) per 20 ms on each encoding: about 100, 400 and 1,450 kbit/s.
    private let packetsPerTick = [2, 8, 30]

    /// The receiving end of a simulated path of `capacity` bits per second with a 300 ms
    /// drop-tail queue.
    private struct Bottleneck {
        var capacity: Double
        var lastDeparture: ContinuousClock.Instant?
        var feedback = TransportCcFeedbackGenerator()
        let origin = ContinuousClock.now
        /// The VP8 temporal layers of the packets that came in, in order.
        var temporalLayers: [UInt8] = []

        mutating func arrive(_ packet: RtpPacket, at arrival: ContinuousClock.Instant, extensionId: UInt8) {
            if let layer = Vp8PayloadDescriptor(payload: packet.payload)?.temporalLayer { temporalLayers.append(layer) }
            guard let sequenceNumber = packet.transportWideSequenceNumber(extensionId: extensionId) else { return }
            let start = max(arrival, lastDeparture ?? arrival)
            guard start - arrival <= .milliseconds(300) else { return }
            let departure = start + .microseconds(Int64(Double(packet.size * 8) / capacity * 1_000_000))
            lastDeparture = departure
            let (seconds, attoseconds) = (departure - origin).components
            feedback.packetArrived(
                sequenceNumber: sequenceNumber, ssrc: packet.ssrc,
                arrivalTime: seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        }
    }

    /// A producer of the three VP8 encodings `ssrcs` on a plain transport, with its sender. With
    /// `maxBitrates` the encodings announce them, as mediasoup-client's do: what the consumers
    /// want then does not hang on how steadily a loaded test machine sends.
    private func simulcastProducer(maxBitrates: [Int]? = nil) async throws -> (Producer, MediaTestPeer) {
        let (transport, sender) = try await plainPeer()
        var parameters = EngineTestFixtures.vp8SimulcastParameters(ssrcs: ssrcs)
        for (index, maxBitrate) in (maxBitrates ?? []).enumerated() {
            parameters.encodings?[index].maxBitrate = maxBitrate
        }
        let producer = try await transport.produce(ProducerOptions(kind: .video, rtpParameters: parameters))
        return (producer, sender)
    }

    private static func spatialLayer(_ event: ConsumerEvent) -> Int?? {
        if case .layersChange(let layers) = event { return .some(layers?.spatialLayer) }
        return nil
    }

    /// Sends the three encodings (key frames where asked by PLI) and passes what the consumer
    /// forwards through `bottleneck`, answering with feedback every 100 ms, until `done` holds
    /// or `timeout` passes.
    private func run(
        _ streams: inout [RtpTestStream], sender: MediaTestPeer, receiver: MediaTestPeer, bottleneck: inout Bottleneck,
        extensionId: UInt8, sendsFeedback: Bool = true, packetsPerTick: [Int]? = nil, timeout: Duration,
        until done: () async -> Bool
    ) async throws -> Bool {
        let packetsPerTick = packetsPerTick ?? self.packetsPerTick
        return try await run(
            sender: sender, receiver: receiver, bottleneck: &bottleneck, extensionId: extensionId,
            sendsFeedback: sendsFeedback, timeout: timeout,
            sendTick: { requested in
                for index in streams.indices {
                    for packetIndex in 0..<packetsPerTick[index] {
                        let keyFrame = packetIndex == 0 && requested.contains(streams[index].ssrc)
                        try await sender.sendRtp(streams[index].next(keyFrame: keyFrame))
                    }
                }
            }, until: done)
    }

    /// Every 20 ms: `sendTick` sends (given the SSRCs the sender was sent a PLI for), and what
    /// the consumer forwarded passes through `bottleneck`; feedback goes back every 100 ms. Until
    /// `done` holds or `timeout` passes.
    private func run(
        sender: MediaTestPeer, receiver: MediaTestPeer, bottleneck: inout Bottleneck, extensionId: UInt8,
        sendsFeedback: Bool = true, timeout: Duration, sendTick: (Set<UInt32>) async throws -> Void,
        until done: () async -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        var nextFeedback = ContinuousClock.now + .milliseconds(100)
        while ContinuousClock.now < deadline {
            try await sendTick(sender.takeKeyFrameRequests())
            for entry in receiver.inbox.take(where: { !RtcpHeader.looksLikeRtcp($0) }) {
                guard let packet = try? RtpPacket(buffer: entry.bytes) else { continue }
                bottleneck.arrive(packet, at: entry.arrival, extensionId: extensionId)
            }
            if sendsFeedback, ContinuousClock.now >= nextFeedback {
                nextFeedback = nextFeedback + .milliseconds(100)
                let feedback = bottleneck.feedback.takeFeedback(senderSsrc: 77)
                if !feedback.isEmpty { try await receiver.sendRtcp(feedback.map { .transportWideCcFeedback($0) }) }
            }
            if await done() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func testSimulcastConsumerFollowsTheEstimateUpAndDown() async throws {
        let (producer, sender) = try await simulcastProducer(maxBitrates: [150_000, 500_000, 1_600_000])
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        let extensionId = try XCTUnwrap(
            consumer.rtpParameters.headerExtensions?.first { $0.uri == RtpHeaderExtensionUri.transportWideCc01.rawValue }
                .flatMap { UInt8(exactly: $0.id) }, "the consumer did not negotiate transport-cc")
        let events = EventRecorder(consumer.events)
        var streams = ssrcs.map { RtpTestStream.vp8(ssrc: $0) }
        var bottleneck = Bottleneck(capacity: 20_000_000)

        // A wide path: probes lift the estimate from its initial 600 kbit/s, which only leaves
        // room for the middle encoding, to what the highest one needs.
        let reachedHighest = try await run(
            &streams, sender: sender, receiver: receiver, bottleneck: &bottleneck, extensionId: extensionId,
            timeout: .seconds(8)
        ) {
            let available = await receiveTransport.getStats().availableOutgoingBitrate ?? 0
            return await consumer.currentLayers?.spatialLayer == 2 && available > 1_200_000
        }
        var stats = await receiveTransport.getStats()
        var layers = await consumer.currentLayers
        XCTAssertTrue(reachedHighest, "estimate \(stats.availableOutgoingBitrate ?? -1), layers \(String(describing: layers))")
        XCTAssertGreaterThan(stats.probationBytesSent, 0, "no probe was sent")

        // The path narrows to 200 kbit/s: the estimate falls and the consumer moves to the
        // lowest encoding.
        bottleneck.capacity = 200_000
        let reachedLowest = try await run(
            &streams, sender: sender, receiver: receiver, bottleneck: &bottleneck, extensionId: extensionId,
            timeout: .seconds(8)
        ) {
            await consumer.currentLayers?.spatialLayer == 0
        }
        stats = await receiveTransport.getStats()
        layers = await consumer.currentLayers
        XCTAssertTrue(reachedLowest, "estimate \(stats.availableOutgoingBitrate ?? -1), layers \(String(describing: layers))")
        XCTAssertLessThan(stats.availableOutgoingBitrate ?? .max, 300_000)
        XCTAssertEqual(events.events.compactMap(Self.spatialLayer).last, 0)
    }

    /// A path too narrow for the whole lowest encoding: the consumer keeps only its lowest VP8
    /// temporal layer (a quarter of the frames of an L1T3 stream).
    func testNarrowPathKeepsTheLowestTemporalLayer() async throws {
        let (producer, sender) = try await simulcastProducer()
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        var streams = ssrcs.map { ssrc in
            var stream = RtpTestStream.vp8(ssrc: ssrc)
            stream.temporalPattern = [0, 2, 1, 2]
            return stream
        }
        // About 380 kbit/s on the lowest encoding, a quarter of it in temporal layer 0; the path
        // carries 110 kbit/s.
        var bottleneck = Bottleneck(capacity: 110_000)
        let reached = try await run(
            &streams, sender: sender, receiver: receiver, bottleneck: &bottleneck, extensionId: 5,
            packetsPerTick: [8, 16, 30], timeout: .seconds(10)
        ) {
            await consumer.currentLayers == ConsumerLayers(spatialLayer: 0, temporalLayer: 0)
        }
        let layers = await consumer.currentLayers
        let stats = await receiveTransport.getStats()
        XCTAssertTrue(reached, "layers \(String(describing: layers)), estimate \(stats.availableOutgoingBitrate ?? -1)")
        // What arrives from now on is layer 0 only.
        bottleneck.temporalLayers.removeAll()
        _ = try await run(
            &streams, sender: sender, receiver: receiver, bottleneck: &bottleneck, extensionId: 5,
            packetsPerTick: [8, 16, 30], timeout: .milliseconds(300)
        ) { false }
        XCTAssertFalse(bottleneck.temporalLayers.isEmpty)
        XCTAssertEqual(Set(bottleneck.temporalLayers), [0])
    }

    /// A receiver that negotiated transport-cc but never answers (a plain RTP tool given the
    /// router's capabilities) is not held at the initial 600 kbit/s: after 5 s of silence the
    /// estimate stops and the consumer forwards the best encoding.
    func testSilentReceiverLosesItsEstimateAndTheLimit() async throws {
        let (producer, sender) = try await simulcastProducer()
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        var streams = ssrcs.map { RtpTestStream.vp8(ssrc: $0) }
        var bottleneck = Bottleneck(capacity: 20_000_000)
        let startedAt = ContinuousClock.now

        let limited = try await run(
            &streams, sender: sender, receiver: receiver, bottleneck: &bottleneck, extensionId: 5, sendsFeedback: false,
            timeout: .seconds(4)
        ) {
            await consumer.currentLayers?.spatialLayer == 1
        }
        XCTAssertTrue(limited, "the initial estimate did not hold the consumer below the best encoding")
        let lifted = try await run(
            &streams, sender: sender, receiver: receiver, bottleneck: &bottleneck, extensionId: 5, sendsFeedback: false,
            timeout: .seconds(8)
        ) {
            // A slow sender's best encoding may fit the initial estimate too: the estimate must be gone.
            let estimate = await receiveTransport.getStats().availableOutgoingBitrate
            let spatialLayer = await consumer.currentLayers?.spatialLayer
            return estimate == nil && spatialLayer == 2
        }
        XCTAssertTrue(lifted, "the consumer stayed limited without feedback")
        XCTAssertGreaterThan(ContinuousClock.now - startedAt, .seconds(5))
        let stats = await receiveTransport.getStats()
        XCTAssertNil(stats.availableOutgoingBitrate)
        XCTAssertEqual(stats.probationBytesSent, 0, "probes went to a receiver that never answered")
    }

    /// An SVC consumer of a VP9 K-SVC stream moves between spatial layers as the estimate does:
    /// up to the highest on a wide path, down to the lowest (at the key frame it asks for) when
    /// the path narrows.
    func testSvcConsumerFollowsTheEstimateUpAndDown() async throws {
        let (sendTransport, sender) = try await plainPeer()
        var stream = Vp9SvcTestStream(ssrc: 3101)
        // Up to about 60, 190 and 950 kbit/s in spatial layers 0, 1 and 2 (50 pictures a second
        // when the machine keeps up), a quarter of each in temporal layer 0 and in layer 1.
        stream.packetsPerLayer = [1, 3, 15]
        stream.payloadSize = 120
        let producer = try await sendTransport.produce(ProducerOptions(kind: .video, rtpParameters: stream.parameters))
        let (receiveTransport, receiver) = try await plainPeer()
        let consumer = try await consume(producer, on: receiveTransport)
        let extensionId = try XCTUnwrap(
            consumer.rtpParameters.headerExtensions?.first { $0.uri == RtpHeaderExtensionUri.transportWideCc01.rawValue }
                .flatMap { UInt8(exactly: $0.id) }, "the consumer did not negotiate transport-cc")
        var bottleneck = Bottleneck(capacity: 20_000_000)
        var spatialLayersArrived: [UInt8] = []
        func sendPicture(_ requested: Set<UInt32>) async throws {
            try await sender.sendRtp(stream.nextPicture(keyFrame: requested.contains(stream.ssrc)))
        }
        try await sender.sendRtp(stream.nextPicture(keyFrame: true))

        // At least 3 s, so that the producer's layer bitrates (over 2.5 s) are measured in full.
        let startedAt = ContinuousClock.now
        let reachedHighest = try await run(
            sender: sender, receiver: receiver, bottleneck: &bottleneck, extensionId: extensionId, timeout: .seconds(10),
            sendTick: sendPicture
        ) {
            await consumer.currentLayers?.spatialLayer == 2 && ContinuousClock.now - startedAt > .seconds(3)
        }
        var stats = await receiveTransport.getStats()
        var layers = await consumer.currentLayers
        XCTAssertTrue(reachedHighest, "estimate \(stats.availableOutgoingBitrate ?? -1), layers \(String(describing: layers))")

        // The path narrows to halfway between all of spatial layer 0 and spatial layer 1's
        // lowest temporal layer (with what it depends on), as measured: only layer 0 fits.
        let producerStats = await producer.getStats()
        let layerBitrates = try XCTUnwrap(producerStats.first?.bitrateByLayer)
        let lowest = Double(try XCTUnwrap(layerBitrates["0.2"]))
        let nextUp = Double(try XCTUnwrap(layerBitrates["1.0"]))
        XCTAssertGreaterThan(nextUp, lowest)
        bottleneck.capacity = (lowest + nextUp) / 2
        let reachedLowest = try await run(
            sender: sender, receiver: receiver, bottleneck: &bottleneck, extensionId: extensionId, timeout: .seconds(10),
            sendTick: sendPicture
        ) {
            await consumer.currentLayers?.spatialLayer == 0
        }
        stats = await receiveTransport.getStats()
        layers = await consumer.currentLayers
        XCTAssertTrue(reachedLowest, "estimate \(stats.availableOutgoingBitrate ?? -1), layers \(String(describing: layers))")
        XCTAssertLessThan(Double(stats.availableOutgoingBitrate ?? .max), nextUp)
        // What the consumer sends from now on is spatial layer 0 only.
        _ = receiver.inbox.take(where: { _ in true })
        try await Task.sleep(for: .milliseconds(100))
        for _ in 0..<10 {
            try await sendPicture([])
            try await Task.sleep(for: .milliseconds(20))
        }
        for entry in receiver.inbox.take(where: { !RtcpHeader.looksLikeRtcp($0) }) {
            if let packet = try? RtpPacket(buffer: entry.bytes), let layers = Vp9SvcTestStream.layers(of: packet) {
                spatialLayersArrived.append(layers.spatial)
            }
        }
        XCTAssertFalse(spatialLayersArrived.isEmpty)
        XCTAssertEqual(Set(spatialLayersArrived), [0])
    }

    func testMaxOutgoingBitrateCapsTheEstimate() async throws {
        let (producer, _) = try await simulcastProducer()
        let (receiveTransport, _) = try await plainPeer()
        _ = try await consume(producer, on: receiveTransport)

        try await receiveTransport.setMaxOutgoingBitrate(250_000)
        var stats = await receiveTransport.getStats()
        XCTAssertEqual(stats.maxOutgoingBitrate, 250_000)
        XCTAssertEqual(stats.availableOutgoingBitrate, 250_000)
        await XCTAssertThrowsErrorAsync(try await receiveTransport.setMaxOutgoingBitrate(10_000))
        stats = await receiveTransport.getStats()
        XCTAssertEqual(stats.maxOutgoingBitrate, 250_000, "a refused cap replaced the one in force")
        try await receiveTransport.setMaxOutgoingBitrate(0)
        stats = await receiveTransport.getStats()
        XCTAssertNil(stats.maxOutgoingBitrate)
        XCTAssertEqual(stats.availableOutgoingBitrate, SendSideBandwidthEstimator.defaultInitialBitrate)
    }

    func testNoEstimateWithoutTransportCc() async throws {
        let (producer, _) = try await simulcastProducer()
        let (receiveTransport, _) = try await plainPeer()
        var capabilities = router.rtpCapabilities
        capabilities.headerExtensions = capabilities.headerExtensions?.filter {
            $0.uri != RtpHeaderExtensionUri.transportWideCc01.rawValue
        }
        let consumer = try await consume(producer, on: receiveTransport, rtpCapabilities: capabilities)
        XCTAssertFalse(consumer.rtpParameters.headerExtensions?.contains { $0.uri == RtpHeaderExtensionUri.transportWideCc01.rawValue } ?? false)
        let stats = await receiveTransport.getStats()
        XCTAssertNil(stats.availableOutgoingBitrate)
    }
}
