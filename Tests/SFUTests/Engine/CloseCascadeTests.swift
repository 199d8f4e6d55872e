import NIOCore
import XCTest
@testable import SFU

/// Closing follows mediasoup: closing an object closes what hangs off it, those report why on
/// their event streams (which then finish), and the object closed explicitly reports nothing.
final class CloseCascadeTests: EngineTestCase {
    private func closeEvents<Event>(_ recorder: EventRecorder<Event>, where match: (Event) -> CloseReason?) -> [CloseReason] {
        recorder.events.compactMap(match)
    }

    private static func reason(_ event: ConsumerEvent) -> CloseReason? {
        if case .closed(let reason) = event { return reason }
        return nil
    }

    private static func reason(_ event: ProducerEvent) -> CloseReason? {
        if case .closed(let reason) = event { return reason }
        return nil
    }

    private static func reason(_ event: TransportEvent) -> CloseReason? {
        if case .closed(let reason) = event { return reason }
        return nil
    }

    private func videoProducer(on transport: Transport, ssrc: UInt32) async throws -> Producer {
        try await transport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: ssrc)))
    }

    func testProducerCloseClosesItsConsumersWithProducerClosed() async throws {
        let (sendTransport, _) = try await plainPeer()
        let producer = try await videoProducer(on: sendTransport, ssrc: 1001)
        let producerEvents = EventRecorder(producer.events)
        var consumerEvents: [EventRecorder<ConsumerEvent>] = []
        var consumers: [Consumer] = []
        for _ in 0..<2 {
            let (transport, _) = try await plainPeer()
            let consumer = try await consume(producer, on: transport)
            consumers.append(consumer)
            consumerEvents.append(EventRecorder(consumer.events))
        }

        await producer.close()
        for recorder in consumerEvents {
            let finished = await recorder.waitForFinish()
            XCTAssertTrue(finished, "a consumer's event stream did not finish")
            XCTAssertEqual(closeEvents(recorder, where: Self.reason), [.producerClosed])
        }
        XCTAssertTrue(consumers.allSatisfy(\.isClosed))
        let producerFinished = await producerEvents.waitForFinish()
        XCTAssertTrue(producerFinished)
        XCTAssertEqual(closeEvents(producerEvents, where: Self.reason), [], "an explicit close reported an event")

        let (otherTransport, _) = try await plainPeer()
        do {
            _ = try await consume(producer, on: otherTransport)
            XCTFail("consumed a closed producer")
        } catch let error as EngineError {
            guard case .notFound(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains(producer.id), message)
        }
        let canConsume = await router.canConsume(producerId: producer.id, rtpCapabilities: router.rtpCapabilities)
        XCTAssertFalse(canConsume)
    }

    func testTransportCloseReportsTransportClosedOnItsProducersAndConsumers() async throws {
        let (transport, _) = try await plainPeer()
        let (otherTransport, _) = try await plainPeer()
        let transportEvents = EventRecorder(transport.events)
        let ownProducer = try await videoProducer(on: transport, ssrc: 1002)
        let otherProducer = try await videoProducer(on: otherTransport, ssrc: 1003)
        let ownConsumer = try await consume(otherProducer, on: transport)
        let remoteConsumer = try await consume(ownProducer, on: otherTransport)
        let ownProducerEvents = EventRecorder(ownProducer.events)
        let ownConsumerEvents = EventRecorder(ownConsumer.events)
        let remoteConsumerEvents = EventRecorder(remoteConsumer.events)
        let otherProducerEvents = EventRecorder(otherProducer.events)

        await transport.close()
        for finished in [
            await transportEvents.waitForFinish(), await ownProducerEvents.waitForFinish(),
            await ownConsumerEvents.waitForFinish(), await remoteConsumerEvents.waitForFinish(),
        ] {
            XCTAssertTrue(finished, "an event stream did not finish")
        }
        XCTAssertEqual(closeEvents(transportEvents, where: Self.reason), [], "an explicit close reported an event")
        XCTAssertEqual(closeEvents(ownProducerEvents, where: Self.reason), [.transportClosed])
        XCTAssertEqual(closeEvents(ownConsumerEvents, where: Self.reason), [.transportClosed])
        XCTAssertEqual(closeEvents(remoteConsumerEvents, where: Self.reason), [.producerClosed])
        // The producer on the other transport lives on, and can be consumed again.
        XCTAssertFalse(otherProducerEvents.isFinished)
        XCTAssertFalse(otherProducer.isClosed)
        let (thirdTransport, _) = try await plainPeer()
        _ = try await consume(otherProducer, on: thirdTransport)
    }

    func testRouterCloseReportsRouterClosedOnItsTransports() async throws {
        let (plain, _) = try await plainPeer()
        let webRtc = try await router.createWebRtcTransport(WebRtcTransportOptions(listenInfos: [Self.loopback]))
        let producer = try await videoProducer(on: plain, ssrc: 1004)
        let consumer = try await consume(producer, on: webRtc)
        let plainEvents = EventRecorder(plain.events)
        let webRtcEvents = EventRecorder(webRtc.events)
        let producerEvents = EventRecorder(producer.events)
        let consumerEvents = EventRecorder(consumer.events)

        await router.close()
        for recorder in [plainEvents, webRtcEvents] {
            let finished = await recorder.waitForFinish()
            XCTAssertTrue(finished)
            XCTAssertEqual(closeEvents(recorder, where: Self.reason), [.routerClosed])
        }
        let producerFinished = await producerEvents.waitForFinish()
        let consumerFinished = await consumerEvents.waitForFinish()
        XCTAssertTrue(producerFinished && consumerFinished)
        XCTAssertEqual(closeEvents(producerEvents, where: Self.reason), [.transportClosed])
        // Whichever of its producer's transport and its own closes first is the reason.
        let consumerReasons = closeEvents(consumerEvents, where: Self.reason)
        XCTAssertEqual(consumerReasons.count, 1)
        XCTAssertTrue(Set(consumerReasons).isSubset(of: [.producerClosed, .transportClosed]), "\(consumerReasons)")
        XCTAssertTrue(router.isClosed && plain.isClosed && webRtc.isClosed)
        do {
            _ = try await router.createPlainTransport(PlainTransportOptions(listenInfo: Self.loopback))
            XCTFail("a closed router made a transport")
        } catch EngineError.closed {}
    }

    func testConsumerCloseReportsNothingAndLeavesProducerForwarding() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .audio, rtpParameters: EngineTestFixtures.opusParameters(ssrc: 1005)))
        let (firstTransport, firstReceiver) = try await plainPeer()
        let (secondTransport, secondReceiver) = try await plainPeer()
        let closing = try await consume(producer, on: firstTransport)
        _ = try await consume(producer, on: secondTransport)
        let closingEvents = EventRecorder(closing.events)
        let producerEvents = EventRecorder(producer.events)

        await closing.close()
        let finished = await closingEvents.waitForFinish()
        XCTAssertTrue(finished)
        XCTAssertEqual(closeEvents(closingEvents, where: Self.reason), [])
        var stream = RtpTestStream.opus(ssrc: 1005)
        for _ in 0..<3 { try await sender.sendRtp(stream.next()) }
        let stillForwarded = await secondReceiver.receiveRtp(count: 3)
        XCTAssertEqual(stillForwarded.count, 3)
        let notForwarded = await firstReceiver.receiveRtp(count: 1, timeout: .milliseconds(200))
        XCTAssertTrue(notForwarded.isEmpty)
        XCTAssertFalse(producerEvents.isFinished)
    }
}
