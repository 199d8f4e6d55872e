import Foundation
import NIOCore

/// Data producers and consumers of a transport, and its SCTP association when it has one.
extension Transport {
    /// The SCTP parameters the client needs (`port 5000`, OS, MIS, maxMessageSize), when SCTP
    /// is enabled.
    public var sctpParameters: SctpParameters? { sctpAssociation?.parameters }

    public var sctpState: SctpAssociationState? {
        get async { try? await worker.onLoop { [self] in sctpAssociation?.state } }
    }

    /// Creates the association; subclasses call it while being set up, and ``startSctp()``
    /// once their DTLS is connected.
    func enableSctp(numStreams: NumSctpStreams, maxMessageSize: Int) {
        let parameters = SctpParameters(
            port: Int(SctpAssociation.port), OS: numStreams.OS, MIS: numStreams.MIS, maxMessageSize: maxMessageSize)
        let association = SctpAssociation(eventLoop: eventLoop, parameters: parameters)
        association.onOutput = { [unowned self] packet in sendSctpPacket(packet) }
        association.onEvent = { [unowned self] event in sctpEvent(event) }
        sctpAssociation = association
        sctpStreamIds = SctpStreamIds(count: numStreams.MIS)
    }

    func startSctp() {
        sctpAssociation?.connect()
    }

    /// An SCTP packet from the client (DTLS application data).
    func receiveSctpPacket(_ packet: ByteBuffer) {
        sctpAssociation?.receive(packet)
    }

    // MARK: - Producing and consuming data

    public func produceData(_ options: DataProducerOptions) async throws -> DataProducer {
        var options = options
        let type: DataProducerType = self is DirectTransport ? .direct : .sctp
        if type == .direct {
            options.sctpStreamParameters = nil
        } else {
            guard var parameters = options.sctpStreamParameters else {
                throw EngineError.invalidArgument("missing sctpStreamParameters")
            }
            try parameters.validate()
            options.sctpStreamParameters = parameters
        }
        let checkedOptions = options
        return try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            let streamId = checkedOptions.sctpStreamParameters.map { UInt16($0.streamId) }
            if type == .sctp {
                guard sctpAssociation != nil else { throw EngineError.invalidState("SCTP not enabled in this transport") }
                if let streamId, dataProducersByStream[streamId] != nil {
                    throw EngineError.invalidArgument("sctpStreamId \(streamId) already in use")
                }
            }
            let dataProducer = DataProducer(
                id: checkedOptions.id ?? UUID().uuidString.lowercased(), transport: self, type: type,
                options: checkedOptions)
            try router.addDataProducer(dataProducer)
            dataProducers[dataProducer.id] = dataProducer
            if let streamId { dataProducersByStream[streamId] = dataProducer }
            return dataProducer
        }
    }

    public func consumeData(_ options: DataConsumerOptions) async throws -> DataConsumer {
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            guard let dataProducer = router.dataProducer(id: options.dataProducerId) else {
                throw EngineError.notFound("DataProducer with id \"\(options.dataProducerId)\" not found")
            }
            let dataConsumer: DataConsumer
            if self is DirectTransport {
                dataConsumer = DataConsumer(
                    transport: self, dataProducer: dataProducer, type: .direct, sctpStreamParameters: nil,
                    paused: options.paused)
            } else {
                guard sctpAssociation != nil else { throw EngineError.invalidState("SCTP not enabled in this transport") }
                guard let streamId = sctpStreamIds.take() else {
                    throw EngineError.invalidState("no sctpStreamId available")
                }
                var parameters = dataProducer.sctpStreamParameters ?? SctpStreamParameters(streamId: 0, ordered: true)
                parameters.streamId = Int(streamId)
                if let ordered = options.ordered { parameters.ordered = ordered }
                if let lifetime = options.maxPacketLifeTime { parameters.maxPacketLifeTime = lifetime }
                if let retransmits = options.maxRetransmits { parameters.maxRetransmits = retransmits }
                dataConsumer = DataConsumer(
                    transport: self, dataProducer: dataProducer, type: .sctp, sctpStreamParameters: parameters,
                    paused: options.paused)
            }
            dataConsumers[dataConsumer.id] = dataConsumer
            dataProducer.addConsumer(dataConsumer)
            return dataConsumer
        }
    }

    // MARK: - On the loop

    /// Sends a data consumer's message on its stream; false when it could not be sent (no
    /// association yet, too large).
    func sendSctpMessage(_ message: ByteBuffer, ppid: SctpPayloadProtocol, parameters: SctpStreamParameters) -> Bool {
        guard let sctpAssociation, let streamId = UInt16(exactly: parameters.streamId) else { return false }
        do {
            try sctpAssociation.send(
                message, ppid: ppid, streamId: streamId, ordered: parameters.ordered ?? true,
                maxPacketLifeTime: parameters.maxPacketLifeTime, maxRetransmits: parameters.maxRetransmits)
            return true
        } catch {
            return false
        }
    }

    func dataProducerClosed(_ dataProducer: DataProducer) {
        dataProducers[dataProducer.id] = nil
        guard let streamId = dataProducer.sctpStreamParameters.map({ UInt16($0.streamId) }),
            dataProducersByStream[streamId] === dataProducer
        else { return }
        dataProducersByStream[streamId] = nil
        // Resetting our half of its channel closes the client's, as mediasoup does, so its
        // DataProducer learns of it (nothing is sent when the client closed the channel first).
        if !isClosed { sctpAssociation?.resetOutgoingStreams([streamId]) }
    }

    func dataConsumerClosed(_ dataConsumer: DataConsumer) {
        dataConsumers[dataConsumer.id] = nil
        guard !isClosed, let streamId = dataConsumer.sctpStreamParameters.map({ UInt16($0.streamId) }) else { return }
        // Resetting the stream closes the client's channel; then the id can serve again.
        sctpAssociation?.resetOutgoingStreams([streamId])
        sctpStreamIds.release(streamId)
    }

    func closeDataChannels() {
        for dataProducer in dataProducers.values { dataProducer.closeOnLoop(reason: .transportClosed) }
        for dataConsumer in dataConsumers.values { dataConsumer.closeOnLoop(reason: .transportClosed) }
        dataProducers.removeAll()
        dataConsumers.removeAll()
        dataProducersByStream.removeAll()
        sctpAssociation?.close()
    }

    private func sctpEvent(_ event: SctpAssociation.Event) {
        switch event {
        case .stateChange(let state):
            eventSink.yield(.sctpStateChange(state))
        case .message(let message):
            receiveSctpMessage(message)
        case .incomingStreamsReset:
            // The client closed channels; the association reset them back. Their data producers
            // stay until signalling closes them, as in mediasoup.
            break
        }
    }

    private func receiveSctpMessage(_ message: SctpMessage) {
        if message.ppid == .dcep {
            answerDataChannelOpen(message)
            return
        }
        guard message.ppid.isUserData, let dataProducer = dataProducersByStream[message.streamId] else {
            EngineMetrics.droppedSctpMessages.increment()
            return
        }
        dataProducer.receive(message.payload, ppid: message.ppid)
    }

    /// A peer that opens channels in-band (DCEP) gets its DATA_CHANNEL_ACK; mediasoup clients
    /// negotiate channels out of band and never send one. The channel carries data once
    /// signaling creates a data producer on its stream.
    private func answerDataChannelOpen(_ message: SctpMessage) {
        guard case .open = DataChannelControlMessage(message.payload) else {
            EngineMetrics.droppedSctpMessages.increment()
            return
        }
        try? sctpAssociation?.send(
            DataChannelControlMessage.ack.encoded(), ppid: .dcep, streamId: message.streamId)
    }
}
