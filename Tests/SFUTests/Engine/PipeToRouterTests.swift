import NIOCore
import NIOPosix
import SocketIO
import XCTest
@testable import SFU

/// `Router.pipeToRouter` between routers on two workers (two event loops): media and data
/// re-created on the other router over a pipe transport pair, key frame requests travelling
/// back, and pause, resume and close following the original.
final class PipeToRouterTests: EngineTestCase {
    private var otherLoop: SocketEventLoop!
    private var otherWorker: Worker!
    private var otherRouter: Router!

    override func setUp() async throws {
        try await super.setUp()
        otherLoop = try SocketEventLoop(name: "SFU-Worker-other")
        otherWorker = try Worker(eventLoop: otherLoop)
        otherRouter = try await otherWorker.createRouter(mediaCodecs: EngineTestFixtures.demoMediaCodecs)
    }

    /// Both workers close before either loop stops: closing a pipe transport closes its pair
    /// on the other loop.
    override func tearDown() async throws {
        await otherWorker.close()
        try await super.tearDown()
        try await otherLoop.shutdownGracefully()
    }

    private func pipe(_ producer: Producer) async throws -> PipeToRouterResult {
        try await router.pipeToRouter(PipeToRouterOptions(producerId: producer.id, router: otherRouter))
    }

    private func transportCount(of router: Router) async throws -> Int {
        try await router.worker.onLoop { router.transports.count }
    }

    func testVp8ProducerReachesAConsumerOnAnotherWorkersRouterIntact() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1111)))
        let piped = try await pipe(producer)
        let pipeConsumer = try XCTUnwrap(piped.pipeConsumer)
        let pipeProducer = try XCTUnwrap(piped.pipeProducer)
        XCTAssertEqual(pipeConsumer.type, .pipe)
        XCTAssertNil(pipeConsumer.rtpParameters.mid)
        XCTAssertFalse(pipeConsumer.rtpParameters.codecs.contains(where: \.isRtx), "RTX without enableRtx")
        XCTAssertEqual(pipeProducer.id, producer.id)
        XCTAssertEqual(pipeProducer.kind, .video)
        XCTAssertEqual(pipeProducer.rtpParameters.rtcp?.cname, producer.rtpParameters.rtcp?.cname, "CNAME not kept")
        let routerTransports = try await transportCount(of: router)
        XCTAssertEqual(routerTransports, 2)
        let otherRouterTransports = try await transportCount(of: otherRouter)
        XCTAssertEqual(otherRouterTransports, 1)

        let (receiveTransport, receiver) = try await plainPeer(on: otherRouter)
        let consumer = try await receiveTransport.consume(
            ConsumerOptions(producerId: producer.id, rtpCapabilities: otherRouter.rtpCapabilities))
        var stream = RtpTestStream.vp8(ssrc: 1111)
        var sent: [RtpPacket] = [stream.next(keyFrame: true)]
        for _ in 0..<20 { sent.append(stream.next()) }
        try await sender.sendRtp(sent)
        let received = await receiver.receiveRtp(count: sent.count)
        XCTAssertEqual(received.count, sent.count)
        XCTAssertEqual(received.map { Array($0.payload.readableBytesView) }, sent.map { Array($0.payload.readableBytesView) })
        let ssrc = try XCTUnwrap(consumer.rtpParameters.encodings?.first?.ssrc)
        XCTAssertTrue(received.allSatisfy { $0.ssrc == ssrc })
        for (previous, next) in zip(received, received.dropFirst()) {
            XCTAssertEqual(next.sequenceNumber, previous.sequenceNumber &+ 1)
            XCTAssertEqual(next.timestamp &- previous.timestamp, stream.timestampStep)
        }

        // The receiver's key frame request crosses the pipe back to the sender (requests are
        // throttled to one a second per stream, so it may come a little later).
        _ = sender.takeRtcp { _ in true }
        try await receiver.sendRtcp([.pictureLossIndication(PictureLossIndication(senderSsrc: 1, mediaSsrc: ssrc))])
        let pli = await sender.receiveRtcp(timeout: .seconds(3)) { packet in
            if case .pictureLossIndication(let pli) = packet { return pli.mediaSsrc == 1111 }
            return false
        }
        XCTAssertEqual(pli.count, 1, "the receiver's key frame request did not reach the sender")
        let pipeStats = await pipeConsumer.getStats()
        guard case .outbound(let outbound) = pipeStats.first else { return XCTFail("no outbound stats") }
        XCTAssertEqual(outbound.packetCount, sent.count)
    }

    /// A sender whose first packets were lost (a browser sends before `produce` is answered)
    /// is asked for a key frame as soon as its stream starts on a delta frame: a pipe consumer
    /// that became active before any packet came asked into the void.
    func testAStreamStartingWithoutAKeyFrameAsksTheSenderForOne() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1111)))
        _ = try await pipe(producer)
        var stream = RtpTestStream.vp8(ssrc: 1111)
        _ = stream.next(keyFrame: true)
        _ = sender.takeRtcp { _ in true }
        try await sender.sendRtp([stream.next(), stream.next()])
        let requests = await sender.receiveRtcp(timeout: .seconds(2)) { packet in
            switch packet {
            case .pictureLossIndication(let pli): pli.mediaSsrc == 1111
            case .fullIntraRequest(let fir): fir.entries.contains { $0.ssrc == 1111 }
            default: false
            }
        }
        XCTAssertEqual(requests.count, 1)
    }

    func testSrtpPipeWithRtxCarriesMedia() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1111)))
        let piped = try await router.pipeToRouter(
            PipeToRouterOptions(producerId: producer.id, router: otherRouter, enableRtx: true, enableSrtp: true))
        let pipeConsumer = try XCTUnwrap(piped.pipeConsumer)
        XCTAssertTrue(pipeConsumer.rtpParameters.codecs.contains(where: \.isRtx))
        XCTAssertNotNil(pipeConsumer.rtpParameters.encodings?.first?.rtx)
        let pipeTransport = try XCTUnwrap(pipeConsumer.transport as? PipeTransport)
        XCTAssertNotNil(pipeTransport.srtpParameters)
        XCTAssertTrue(pipeTransport.enableRtx)
        let stats = await pipeTransport.getStats()
        XCTAssertEqual(stats.type, "pipe-transport")

        let (receiveTransport, receiver) = try await plainPeer(on: otherRouter)
        _ = try await receiveTransport.consume(
            ConsumerOptions(producerId: producer.id, rtpCapabilities: otherRouter.rtpCapabilities))
        var stream = RtpTestStream.vp8(ssrc: 1111)
        var sent: [RtpPacket] = [stream.next(keyFrame: true)]
        for _ in 0..<10 { sent.append(stream.next()) }
        try await sender.sendRtp(sent)
        let received = await receiver.receiveRtp(count: sent.count)
        XCTAssertEqual(received.map { Array($0.payload.readableBytesView) }, sent.map { Array($0.payload.readableBytesView) })
        let pipeCounters = try await counters(of: pipeTransport)
        XCTAssertEqual(pipeCounters.srtpFailures, 0)
    }

    func testEverySimulcastEncodingCrossesThePipe() async throws {
        let ssrcs: [UInt32] = [2001, 2002, 2003]
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8SimulcastParameters(ssrcs: ssrcs)))
        let piped = try await pipe(producer)
        let pipeConsumer = try XCTUnwrap(piped.pipeConsumer)
        let pipeProducer = try XCTUnwrap(piped.pipeProducer)
        let pipeSsrcs = try XCTUnwrap(pipeConsumer.rtpParameters.encodings?.compactMap(\.ssrc))
        XCTAssertEqual(pipeSsrcs.count, 3)
        XCTAssertEqual(pipeSsrcs, [pipeSsrcs[0], pipeSsrcs[0] &+ 1, pipeSsrcs[0] &+ 2])
        XCTAssertEqual(pipeProducer.type, .simulcast)

        // A consumer on the other router preferring the lowest layer gets only that stream.
        let (receiveTransport, receiver) = try await plainPeer(on: otherRouter)
        let consumer = try await receiveTransport.consume(ConsumerOptions(
            producerId: producer.id, rtpCapabilities: otherRouter.rtpCapabilities,
            preferredLayers: ConsumerLayers(spatialLayer: 0)))
        XCTAssertEqual(consumer.type, .simulcast)
        var streams = ssrcs.map { RtpTestStream.vp8(ssrc: $0) }
        var forwarded: [RtpPacket] = []
        let deadline = ContinuousClock.now + .seconds(4)
        while forwarded.count < 10, ContinuousClock.now < deadline {
            for index in streams.indices { try await sender.sendRtp(streams[index].next(keyFrame: true)) }
            try await Task.sleep(for: .milliseconds(20))
            forwarded += await receiver.receiveRtp(count: .max, timeout: .zero)
        }
        XCTAssertGreaterThanOrEqual(forwarded.count, 10)
        XCTAssertTrue(forwarded.allSatisfy { RtpTestStream.sourceSsrcLowByte(of: $0) == UInt8(truncatingIfNeeded: ssrcs[0]) })

        // Every encoding reached the pipe producer.
        let scores = await BoundedWait.until(timeout: .seconds(2)) { await pipeProducer.scores.count == 3 }
        XCTAssertTrue(scores, "not every encoding reached the pipe producer")
        let pipeStats = await pipeConsumer.getStats()
        XCTAssertEqual(pipeStats.count, 3)
    }

    func testPauseResumeAndCloseFollowTheOriginalProducer() async throws {
        let (sendTransport, _) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .audio, rtpParameters: EngineTestFixtures.opusParameters(ssrc: 3333)))
        await producer.pause()
        let piped = try await pipe(producer)
        let pipeProducer = try XCTUnwrap(piped.pipeProducer)
        XCTAssertTrue(pipeProducer.paused, "the pipe producer did not start paused")
        let (receiveTransport, _) = try await plainPeer(on: otherRouter)
        let consumer = try await receiveTransport.consume(
            ConsumerOptions(producerId: producer.id, rtpCapabilities: otherRouter.rtpCapabilities))
        let events = EventRecorder(consumer.events)

        await producer.resume()
        var followed = await BoundedWait.until(timeout: .seconds(2)) { !pipeProducer.paused }
        XCTAssertTrue(followed, "resume did not cross the pipe")
        await producer.pause()
        followed = await BoundedWait.until(timeout: .seconds(2)) { pipeProducer.paused }
        XCTAssertTrue(followed, "pause did not cross the pipe")

        await producer.close()
        let closed = await events.wait { $0.contains(.closed(.producerClosed)) }
        XCTAssertTrue(closed, "the consumer on the other router did not see its producer close")
        XCTAssertTrue(pipeProducer.isClosed)
        XCTAssertTrue(try XCTUnwrap(piped.pipeConsumer).isClosed)
    }

    func testClosingThePipeProducerClosesThePipeConsumerAndPairsAreReused() async throws {
        let (sendTransport, _) = try await plainPeer()
        let video = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1111)))
        let audio = try await sendTransport.produce(
            ProducerOptions(kind: .audio, rtpParameters: EngineTestFixtures.opusParameters(ssrc: 3333)))
        let pipedVideo = try await pipe(video)
        _ = try await pipe(audio)
        let routerTransports = try await transportCount(of: router)
        XCTAssertEqual(routerTransports, 2, "the pipe transport pair was not reused")
        let otherRouterTransports = try await transportCount(of: otherRouter)
        XCTAssertEqual(otherRouterTransports, 1)
        // The pair works in the other direction too.
        let (otherSendTransport, _) = try await plainPeer(on: otherRouter)
        let otherVideo = try await otherSendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 4444)))
        let back = try await otherRouter.pipeToRouter(PipeToRouterOptions(producerId: otherVideo.id, router: router))
        XCTAssertNotNil(back.pipeProducer)
        let otherRouterTransportsAfter = try await transportCount(of: otherRouter)
        XCTAssertEqual(otherRouterTransportsAfter, 2)

        try await XCTUnwrap(pipedVideo.pipeProducer).close()
        let pipeConsumer = try XCTUnwrap(pipedVideo.pipeConsumer)
        let closed = await BoundedWait.until(timeout: .seconds(2)) { pipeConsumer.isClosed }
        XCTAssertTrue(closed, "closing the pipe producer left the pipe consumer open")
        XCTAssertFalse(video.isClosed)

        // Piping the same producer twice to one router is refused: the id is taken there.
        await XCTAssertThrowsErrorAsync(try await self.pipe(audio))
    }

    func testDataProducerReachesADataConsumerOnTheOtherRouter() async throws {
        let producerSide = try await router.createDirectTransport()
        let dataProducer = try await producerSide.produceData(DataProducerOptions(label: "chat", protocol: "text"))
        let piped = try await router.pipeToRouter(PipeToRouterOptions(dataProducerId: dataProducer.id, router: otherRouter))
        let pipeDataProducer = try XCTUnwrap(piped.pipeDataProducer)
        XCTAssertEqual(pipeDataProducer.id, dataProducer.id)
        XCTAssertEqual(pipeDataProducer.label, "chat")
        XCTAssertEqual(pipeDataProducer.protocol, "text")
        let consumerSide = try await otherRouter.createDirectTransport()
        let dataConsumer = try await consumerSide.consumeData(DataConsumerOptions(dataProducerId: dataProducer.id))

        // Messages flow once the SCTP association between the pipe transports is up.
        let pipeTransport = try XCTUnwrap(piped.pipeDataConsumer?.transport)
        let connected = await BoundedWait.until(timeout: .seconds(5)) { await pipeTransport.sctpState == .connected }
        XCTAssertTrue(connected, "the pipe transports' SCTP association did not connect")
        let receiving = Task {
            var received: [ByteBuffer] = []
            for await message in dataConsumer.messages {
                received.append(message.payload)
                if received.count == 2 { break }
            }
            return received
        }
        try await dataProducer.send(ByteBuffer(string: "hello"))
        try await dataProducer.send(ByteBuffer(string: "world"))
        let received = await receiving.value
        XCTAssertEqual(received, [ByteBuffer(string: "hello"), ByteBuffer(string: "world")])

        await dataProducer.close()
        let closed = await BoundedWait.until(timeout: .seconds(2)) { dataConsumer.isClosed }
        XCTAssertTrue(closed, "closing the original data producer left the other router's data consumer open")
    }

    func testRoutersOfOneWorkerPipeToEachOther() async throws {
        let sameWorkerRouter = try await worker.createRouter(mediaCodecs: EngineTestFixtures.demoMediaCodecs)
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .audio, rtpParameters: EngineTestFixtures.opusParameters(ssrc: 3333)))
        let piped = try await router.pipeToRouter(PipeToRouterOptions(producerId: producer.id, router: sameWorkerRouter))
        XCTAssertEqual(piped.pipeProducer?.id, producer.id)
        let (receiveTransport, receiver) = try await plainPeer(on: sameWorkerRouter)
        _ = try await receiveTransport.consume(
            ConsumerOptions(producerId: producer.id, rtpCapabilities: sameWorkerRouter.rtpCapabilities))
        var stream = RtpTestStream.opus(ssrc: 3333)
        let sent = (0..<5).map { _ in stream.next() }
        try await sender.sendRtp(sent)
        let received = await receiver.receiveRtp(count: sent.count)
        XCTAssertEqual(received.map { Array($0.payload.readableBytesView) }, sent.map { Array($0.payload.readableBytesView) })
    }

    /// mediasoup's pipe transports speak AEAD_AES_256_GCM only: ours offer it and refuse another.
    func testPipeSrtpIsAesGcm256Only() async throws {
        let transport = try await router.createPipeTransport(PipeTransportOptions(listenInfo: Self.loopback, enableSrtp: true))
        XCTAssertEqual(transport.srtpParameters?.cryptoSuite, .aeadAes256Gcm)
        let other = try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80)
        let refused = await XCTAssertThrowsErrorAsync(
            try await transport.connect(ip: "127.0.0.1", port: 9, srtpParameters: SrtpParameters(masterKey: other)))
        XCTAssertEqual(refused as? EngineError, .invalidArgument("invalid/unsupported srtpParameters.cryptoSuite"))
        let gcm = try SrtpMasterKey.random(suite: .aeadAes256Gcm)
        try await transport.connect(ip: "127.0.0.1", port: 9, srtpParameters: SrtpParameters(masterKey: gcm))
    }

    func testInvalidPipeRequestsAreRefused() async throws {
        let (sendTransport, _) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1111)))
        let toItself = await XCTAssertThrowsErrorAsync(
            try await self.router.pipeToRouter(PipeToRouterOptions(producerId: producer.id, router: self.router)))
        XCTAssertEqual(toItself as? EngineError, .invalidArgument("cannot use this Router as destination"))
        let unknown = await XCTAssertThrowsErrorAsync(
            try await self.router.pipeToRouter(PipeToRouterOptions(producerId: "nope", router: self.otherRouter)))
        XCTAssertEqual(unknown as? EngineError, .notFound("Producer with id \"nope\" not found"))
        await XCTAssertThrowsErrorAsync(
            try await self.router.pipeToRouter(PipeToRouterOptions(router: self.otherRouter)))
        let routerTransports = try await transportCount(of: router)
        XCTAssertEqual(routerTransports, 1, "a refused request left transports behind")
        let otherRouterTransports = try await transportCount(of: otherRouter)
        XCTAssertEqual(otherRouterTransports, 0)
    }
}
