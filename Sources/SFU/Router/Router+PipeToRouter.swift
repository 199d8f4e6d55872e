/// Pipe transports, and piping a producer or data producer into another router
/// (mediasoup's `createPipeTransport` and `pipeToRouter`), so one room can spread its consumers
/// over several workers.
extension Router {
    public func createPipeTransport(_ options: PipeTransportOptions) async throws -> PipeTransport {
        let transport = try await PipeTransport.open(router: self, options: options)
        try await register(transport)
        return transport
    }

    /// Re-creates a producer (or data producer) of this router in `options.router`: over a pair
    /// of pipe transports made on the first call for that router and reused after, a pipe
    /// consumer here feeds a producer there with the same id. The producer follows the pipe
    /// consumer's producer as it pauses, resumes and closes; closing either end closes the other.
    public func pipeToRouter(_ options: PipeToRouterOptions) async throws -> PipeToRouterResult {
        let destination = options.router
        guard destination !== self else { throw EngineError.invalidArgument("cannot use this Router as destination") }
        switch (options.producerId, options.dataProducerId) {
        case (let producerId?, nil):
            // Checked before any pipe transport is made for it.
            try await worker.onLoop { [self] in
                guard self.producer(id: producerId) != nil else {
                    throw EngineError.notFound("Producer with id \"\(producerId)\" not found")
                }
            }
            let pair = try await pipeTransportPair(to: destination, options: options)
            let consumer = try await pair.local.consume(producerId: producerId)
            do {
                let paused = try await worker.onLoop { consumer.producerPaused }
                let pipeProducer = try await pair.remote.produce(ProducerOptions(
                    id: producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters, paused: paused))
                try await Self.link(consumer, to: pipeProducer)
                return PipeToRouterResult(pipeConsumer: consumer, pipeProducer: pipeProducer)
            } catch {
                await consumer.close()
                throw error
            }
        case (nil, let dataProducerId?):
            try await worker.onLoop { [self] in
                guard self.dataProducer(id: dataProducerId) != nil else {
                    throw EngineError.notFound("DataProducer with id \"\(dataProducerId)\" not found")
                }
            }
            let pair = try await pipeTransportPair(to: destination, options: options)
            let dataConsumer = try await pair.local.consumeData(DataConsumerOptions(dataProducerId: dataProducerId))
            do {
                let paused = try await worker.onLoop { dataConsumer.dataProducerPaused }
                let pipeDataProducer = try await pair.remote.produceData(DataProducerOptions(
                    id: dataProducerId, sctpStreamParameters: dataConsumer.sctpStreamParameters,
                    label: dataConsumer.label, protocol: dataConsumer.protocol, paused: paused))
                try await Self.link(dataConsumer, to: pipeDataProducer)
                return PipeToRouterResult(pipeDataConsumer: dataConsumer, pipeDataProducer: pipeDataProducer)
            } catch {
                await dataConsumer.close()
                throw error
            }
        default:
            throw EngineError.invalidArgument("give exactly one of producerId and dataProducerId")
        }
    }

    /// The pipe transport pair to `destination`: the cached one, or a new one connected both
    /// ways. Concurrent calls share one creation.
    private func pipeTransportPair(to destination: Router, options: PipeToRouterOptions) async throws
        -> PipeTransportPair
    {
        let transportOptions = PipeTransportOptions(
            listenInfo: options.listenInfo, enableSctp: options.enableSctp, numSctpStreams: options.numSctpStreams,
            enableRtx: options.enableRtx, enableSrtp: options.enableSrtp)
        let creation = try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("router") }
            if let existing = pipeTransportPairs[destination.id] { return existing }
            let creation = Task { try await createPipeTransportPair(to: destination, options: transportOptions) }
            pipeTransportPairs[destination.id] = creation
            return creation
        }
        do {
            return try await creation.value
        } catch {
            _ = try? await worker.onLoop { [self] in
                if pipeTransportPairs[destination.id] == creation { pipeTransportPairs[destination.id] = nil }
            }
            throw error
        }
    }

    private func createPipeTransportPair(to destination: Router, options: PipeTransportOptions) async throws
        -> PipeTransportPair
    {
        let local = try await createPipeTransport(options)
        let remote: PipeTransport
        do {
            remote = try await destination.createPipeTransport(options)
        } catch {
            await local.close()
            throw error
        }
        do {
            let localTuple = await local.tuple
            let remoteTuple = await remote.tuple
            try await local.connect(
                ip: remoteTuple.localAddress, port: remoteTuple.localPort, srtpParameters: remote.srtpParameters)
            try await remote.connect(
                ip: localTuple.localAddress, port: localTuple.localPort, srtpParameters: local.srtpParameters)
            let pair = PipeTransportPair(local: local, remote: remote)
            let sourceId = id
            try await worker.onLoop {
                local.pairedTransport = remote
                local.pairedRouterId = destination.id
            }
            try await destination.worker.onLoop {
                remote.pairedTransport = local
                remote.pairedRouterId = sourceId
                if destination.pipeTransportPairs[sourceId] == nil {
                    destination.pipeTransportPairs[sourceId] = Task { pair.reversed }
                }
            }
            return pair
        } catch {
            await local.close()
            await remote.close()
            throw error
        }
    }

    /// Wires a pipe consumer to the producer it feeds on the other router, then brings the
    /// producer up to the consumer's state (its producer may have paused or closed meanwhile).
    private static func link(_ consumer: Consumer, to producer: Producer) async throws {
        try await consumer.transport.worker.onLoop {
            consumer.pipedProducer = producer
            let closed = consumer.isClosed
            let paused = consumer.producerPaused
            producer.eventLoop.execute {
                if closed { producer.closeOnLoop(reason: .explicit) } else { producer.setPausedOnLoop(paused) }
            }
        }
        try await producer.transport.worker.onLoop {
            producer.pipeConsumer = consumer
            if producer.isClosed {
                consumer.transport.eventLoop.execute { consumer.closeOnLoop(reason: .explicit) }
            }
        }
    }

    private static func link(_ dataConsumer: DataConsumer, to dataProducer: DataProducer) async throws {
        try await dataConsumer.transport.worker.onLoop {
            dataConsumer.pipedDataProducer = dataProducer
            let closed = dataConsumer.isClosed
            let paused = dataConsumer.dataProducerPaused
            dataProducer.transport.eventLoop.execute {
                if closed { dataProducer.closeOnLoop(reason: .explicit) } else { dataProducer.setPausedOnLoop(paused) }
            }
        }
        try await dataProducer.transport.worker.onLoop {
            dataProducer.pipeDataConsumer = dataConsumer
            if dataProducer.isClosed {
                dataConsumer.transport.eventLoop.execute { dataConsumer.closeOnLoop(reason: .explicit) }
            }
        }
    }
}
