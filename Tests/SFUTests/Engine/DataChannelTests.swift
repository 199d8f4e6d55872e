import NIOCore
import XCTest
@testable import SFU

/// Data producers and consumers in the router: direct delivery, SCTP stream allocation, pause,
/// and mediasoup's close cascade.
final class DataChannelTests: EngineTestCase {
    private func sctpTransport() async throws -> WebRtcTransport {
        try await router.createWebRtcTransport(WebRtcTransportOptions(listenInfos: [Self.loopback], enableSctp: true))
    }

    func testDirectMessagesReachDirectDataConsumersUntilPaused() async throws {
        let producerSide = try await router.createDirectTransport()
        let consumerSide = try await router.createDirectTransport()
        let dataProducer = try await producerSide.produceData(DataProducerOptions(label: "bot", protocol: "text"))
        XCTAssertEqual(dataProducer.type, .direct)
        let dataConsumer = try await consumerSide.consumeData(DataConsumerOptions(dataProducerId: dataProducer.id))
        XCTAssertEqual(dataConsumer.type, .direct)
        XCTAssertEqual(dataConsumer.label, "bot")
        XCTAssertEqual(dataConsumer.protocol, "text")
        XCTAssertNil(dataConsumer.sctpStreamParameters)

        try await dataProducer.send(ByteBuffer(string: "one"))
        try await dataProducer.send(ByteBuffer(bytes: [1, 2, 3]), ppid: .binary)
        await dataProducer.pause()
        try await dataProducer.send(ByteBuffer(string: "dropped while paused"))
        await dataProducer.resume()
        try await dataProducer.send(ByteBuffer(string: "two"))
        var received: [DirectDataMessage] = []
        for await message in dataConsumer.messages {
            received.append(message)
            if received.count == 3 { break }
        }
        XCTAssertEqual(received.map(\.payload), [ByteBuffer(string: "one"), ByteBuffer(bytes: [1, 2, 3]), ByteBuffer(string: "two")])
        XCTAssertEqual(received.map(\.ppid), [.string, .binary, .string])
        let producerStats = await dataProducer.getStats()
        XCTAssertEqual(producerStats.first?.messagesReceived, 4)
        let monotonicNow = Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000)
        XCTAssertEqual(Double(producerStats.first?.timestamp ?? 0), Double(monotonicNow), accuracy: 5_000, "the clock of the other stats")
        let consumerStats = await dataConsumer.getStats()
        XCTAssertEqual(consumerStats.first?.messagesSent, 3)
    }

    func testADirectReaderFarBehindLosesTheNewerMessages() async throws {
        let producerSide = try await router.createDirectTransport()
        let consumerSide = try await router.createDirectTransport()
        let dataProducer = try await producerSide.produceData(DataProducerOptions(label: "flood"))
        let dataConsumer = try await consumerSide.consumeData(DataConsumerOptions(dataProducerId: dataProducer.id))
        let limit = DataConsumer.maximumQueuedMessages
        for index in 0..<(limit + 50) { try await dataProducer.send(ByteBuffer(string: "\(index)")) }
        let stats = await dataConsumer.getStats()
        XCTAssertEqual(stats.first?.messagesSent, limit, "the messages beyond the queue are not sent")
        var received = 0
        for await message in dataConsumer.messages {
            XCTAssertEqual(String(buffer: message.payload), "\(received)", "the oldest are kept, in order")
            received += 1
            if received == limit { break }
        }
        XCTAssertEqual(received, limit)
    }

    func testSctpTransportsAdvertiseParametersAndAllocateStreams() async throws {
        let plainWebRtc = try await router.createWebRtcTransport(WebRtcTransportOptions(listenInfos: [Self.loopback]))
        XCTAssertNil(plainWebRtc.sctpParameters)
        let transport = try await sctpTransport()
        XCTAssertEqual(transport.sctpParameters, SctpParameters(port: 5000, OS: 1024, MIS: 1024, maxMessageSize: 262_144))
        let sctpState = await transport.sctpState
        XCTAssertEqual(sctpState, .new)
        let stats = await transport.getStats()
        XCTAssertEqual(stats.sctpState, .new, "in the stats, as mediasoup")
        let withoutSctp = await plainWebRtc.getStats()
        XCTAssertNil(withoutSctp.sctpState)

        let direct = try await router.createDirectTransport()
        let source = try await direct.produceData(DataProducerOptions(label: "chat"))
        var streamIds: [Int] = []
        for _ in 0..<3 {
            let consumer = try await transport.consumeData(DataConsumerOptions(dataProducerId: source.id))
            streamIds.append(try XCTUnwrap(consumer.sctpStreamParameters?.streamId))
            XCTAssertEqual(consumer.sctpStreamParameters?.ordered, true)
        }
        XCTAssertEqual(streamIds, [0, 1, 2])
        let unreliable = try await transport.consumeData(
            DataConsumerOptions(dataProducerId: source.id, ordered: false, maxRetransmits: 0))
        XCTAssertEqual(unreliable.sctpStreamParameters, SctpStreamParameters(streamId: 3, ordered: false, maxRetransmits: 0))

        let produced = try await transport.produceData(
            DataProducerOptions(sctpStreamParameters: SctpStreamParameters(streamId: 7, maxPacketLifeTime: 500), label: "x"))
        XCTAssertEqual(produced.type, .sctp)
        XCTAssertEqual(produced.sctpStreamParameters?.ordered, false)
    }

    /// Two plain transports with SCTP pointed at each other, their associations up.
    private func connectedSctpPair() async throws -> (left: PlainTransport, right: PlainTransport) {
        let options = PlainTransportOptions(listenInfo: Self.loopback, enableSctp: true)
        let left = try await router.createPlainTransport(options)
        let right = try await router.createPlainTransport(options)
        XCTAssertEqual(left.sctpParameters?.port, 5000)
        let (leftPort, rightPort) = (await left.tuple.localPort, await right.tuple.localPort)
        try await left.connect(PlainTransportConnectParameters(ip: "127.0.0.1", port: rightPort))
        try await right.connect(PlainTransportConnectParameters(ip: "127.0.0.1", port: leftPort))
        let connected = await BoundedWait.until(timeout: .seconds(5)) {
            let states = (await left.sctpState, await right.sctpState)
            return states.0 == .connected && states.1 == .connected
        }
        XCTAssertTrue(connected)
        return (left, right)
    }

    func testMessagesCrossTwoPlainTransportsOverSctp() async throws {
        // A direct data producer's messages go out on the left (its data consumer's stream), in
        // on the right (a data producer on that stream) and reach a direct data consumer.
        let (left, right) = try await connectedSctpPair()

        let source = try await router.createDirectTransport()
        let sourceProducer = try await source.produceData(DataProducerOptions(label: "relay"))
        let outgoing = try await left.consumeData(DataConsumerOptions(dataProducerId: sourceProducer.id))
        let incoming = try await right.produceData(DataProducerOptions(
            sctpStreamParameters: try XCTUnwrap(outgoing.sctpStreamParameters), label: "relay"))
        let sink = try await router.createDirectTransport()
        let sinkConsumer = try await sink.consumeData(DataConsumerOptions(dataProducerId: incoming.id))

        try await sourceProducer.send(ByteBuffer(string: "over plain SCTP"))
        try await sourceProducer.send(ByteBuffer(bytes: Array(repeating: 9, count: 100_000)), ppid: .binary)
        var received: [DirectDataMessage] = []
        for await message in sinkConsumer.messages {
            received.append(message)
            if received.count == 2 { break }
        }
        XCTAssertEqual(received.first?.payload, ByteBuffer(string: "over plain SCTP"))
        XCTAssertEqual(received.last?.payload.readableBytes, 100_000)
        XCTAssertEqual(received.last?.ppid, .binary)
    }

    func testClosingAnSctpDataProducerResetsItsStreamForThePeer() async throws {
        // As in the test above: `incoming` on the right takes what the left's consumer sends.
        let (left, right) = try await connectedSctpPair()
        let source = try await router.createDirectTransport().produceData(DataProducerOptions(label: "relay"))
        let outgoing = try await left.consumeData(DataConsumerOptions(dataProducerId: source.id))
        let streamId = try XCTUnwrap(outgoing.sctpStreamParameters?.streamId)
        let incoming = try await right.produceData(
            DataProducerOptions(sctpStreamParameters: try XCTUnwrap(outgoing.sctpStreamParameters), label: "relay"))
        let resets = ResetRecorder()
        try await worker.onLoop {
            guard let association = left.sctpAssociation else { return }
            let handler = association.onEvent
            association.onEvent = { event in
                if case .incomingStreamsReset(let streams) = event { resets.add(streams) }
                handler(event)
            }
        }

        // The peer's channel on that stream is closed, as a browser's would be.
        await incoming.close()
        let reset = await BoundedWait.until(timeout: .seconds(3)) { resets.streams.contains(UInt16(streamId)) }
        XCTAssertTrue(reset, "closing the data producer did not reset its stream")
    }

    func testInvalidDataRequestsAreRefused() async throws {
        let transport = try await sctpTransport()
        let plainWebRtc = try await router.createWebRtcTransport(WebRtcTransportOptions(listenInfos: [Self.loopback]))
        let missing = await XCTAssertThrowsErrorAsync(try await transport.produceData(DataProducerOptions(label: "no stream")))
        XCTAssertEqual("\(missing.map { "\($0)" } ?? "")".contains("missing sctpStreamParameters"), true)
        await XCTAssertThrowsErrorAsync(try await plainWebRtc.produceData(
            DataProducerOptions(sctpStreamParameters: SctpStreamParameters(streamId: 1))))
        await XCTAssertThrowsErrorAsync(try await transport.produceData(DataProducerOptions(
            sctpStreamParameters: SctpStreamParameters(streamId: 1, ordered: true, maxRetransmits: 2))))
        _ = try await transport.produceData(DataProducerOptions(sctpStreamParameters: SctpStreamParameters(streamId: 1)))
        let taken = await XCTAssertThrowsErrorAsync(try await transport.produceData(
            DataProducerOptions(sctpStreamParameters: SctpStreamParameters(streamId: 1))))
        XCTAssertEqual("\(taken.map { "\($0)" } ?? "")".contains("sctpStreamId 1 already in use"), true)
        await XCTAssertThrowsErrorAsync(try await transport.consumeData(DataConsumerOptions(dataProducerId: "nope")))
    }

    func testClosingTheDataProducerClosesItsConsumers() async throws {
        let direct = try await router.createDirectTransport()
        let source = try await direct.produceData(DataProducerOptions())
        let transport = try await sctpTransport()
        let consumer = try await transport.consumeData(DataConsumerOptions(dataProducerId: source.id))
        let events = EventRecorder(consumer.events)
        await source.close()
        let closed = await events.wait { $0.contains(.closed(.dataProducerClosed)) }
        XCTAssertTrue(closed)
        // The stream id is free again.
        let next = try await direct.produceData(DataProducerOptions())
        let again = try await transport.consumeData(DataConsumerOptions(dataProducerId: next.id))
        XCTAssertEqual(again.sctpStreamParameters?.streamId, 1, "allocation continues after the last id, as mediasoup")

        let producerEvents = EventRecorder(next.events)
        await direct.close()
        let transportClosed = await producerEvents.wait { $0.contains(.closed(.transportClosed)) }
        XCTAssertTrue(transportClosed)
    }
}

/// The streams a test saw reset by the peer.
private final class ResetRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [UInt16] = []

    func add(_ streams: [UInt16]) { lock.withLock { recorded += streams } }
    var streams: [UInt16] { lock.withLock { recorded } }
}
