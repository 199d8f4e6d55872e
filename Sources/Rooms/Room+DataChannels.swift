import SFU

/// Data channels (mediasoup-demo's `produceData`, `newDataConsumer` and the room bot): a data
/// producer labelled `bot` is answered by the bot; any other is offered to every joined peer
/// that wants data channels, as the demo does for its `chat` channel.
extension Room {
    /// Starts receiving a participant's data channel on `transportId`; answers its id.
    public func produceData(
        participantId: String, as role: ParticipantRole, transportId: String, sctpStreamParameters: SctpStreamParameters?, label: String,
        protocol: String, appData: JSONValue = .emptyObject
    ) async throws(RoomError) -> String {
        let participant = try participant(participantId, as: role)
        guard participant.joined else { throw .conflict("Peer not yet joined") }
        let transport = try transport(of: participant, id: transportId)
        let dataProducer: DataProducer
        do {
            dataProducer = try await transport.produceData(DataProducerOptions(
                sctpStreamParameters: sctpStreamParameters, label: label, protocol: `protocol`))
        } catch {
            throw RoomError(error)
        }
        do {
            try await pipeDataProducer(dataProducer.id, from: transport.router)
        } catch {
            await dataProducer.close()
            throw RoomError(error)
        }
        participant.dataProducers[dataProducer.id] = dataProducer
        dataProducers[dataProducer.id] = (dataProducer, participantId, appData)
        watch(dataProducer, ownerId: participantId)
        logger.info(
            "data producer created",
            metadata: ["roomId": "\(id)", "participantId": "\(participantId)", "dataProducerId": "\(dataProducer.id)",
                "label": "\(label)"])
        if label == RoomBot.label {
            do {
                try await bot()?.echo(dataProducerId: dataProducer.id) { [weak self] in
                    await self?.displayName(of: participantId)
                }
            } catch {
                logger.warning("the bot cannot consume the data producer", metadata: ["error": "\(error)"])
            }
        } else {
            for peer in participants.values where peer.receivesConsumers && peer.id != participantId {
                await offerDataConsumer(of: dataProducer.id, to: peer)
            }
        }
        return dataProducer.id
    }

    /// A data consumer of `dataProducerId` for a broadcaster (REST `consume/data`).
    public func consumeData(
        participantId: String, as role: ParticipantRole, transportId: String, dataProducerId: String
    ) async throws(RoomError) -> DataConsumerDescription {
        let participant = try participant(participantId, as: role)
        let transport = try transport(of: participant, id: transportId)
        guard dataProducers[dataProducerId] != nil || dataProducerId == botDataProducerId else {
            throw .notFound("dataProducer with id \"\(dataProducerId)\" not found")
        }
        do {
            let dataConsumer = try await transport.consumeData(DataConsumerOptions(dataProducerId: dataProducerId))
            participant.dataConsumers[dataConsumer.id] = dataConsumer
            watch(dataConsumer, ownerId: participantId)
            return DataConsumerDescription(id: dataConsumer.id, streamId: dataConsumer.sctpStreamParameters?.streamId ?? 0)
        } catch {
            throw RoomError(error)
        }
    }

    public func dataProducerStats(peerId: String, dataProducerId: String) async throws(RoomError) -> [DataProducerStats] {
        let peer = try peer(peerId, mustBeJoined: false)
        guard let dataProducer = peer.dataProducers[dataProducerId] else {
            throw .notFound("dataProducer with id \"\(dataProducerId)\" not found")
        }
        return await dataProducer.getStats()
    }

    public func dataConsumerStats(peerId: String, dataConsumerId: String) async throws(RoomError) -> [DataConsumerStats] {
        let peer = try peer(peerId, mustBeJoined: false)
        guard let dataConsumer = peer.dataConsumers[dataConsumerId] else {
            throw .notFound("dataConsumer with id \"\(dataConsumerId)\" not found")
        }
        return await dataConsumer.getStats()
    }

    // MARK: - Internals

    /// Offers a peer that just joined with data channels every other participant's data
    /// producers, then the bot's.
    func startDataConsuming(for peer: Participant) async {
        guard peer.sctpCapabilities != nil else { return }
        for (dataProducerId, entry) in dataProducers
        where entry.ownerId != peer.id && entry.dataProducer.label != RoomBot.label {
            await offerDataConsumer(of: dataProducerId, to: peer)
        }
        if let bot = await bot() {
            await offerDataConsumer(of: bot.dataProducer.id, to: peer)
        }
    }

    /// Creates a data consumer on the peer's consuming transport and sends `newDataConsumer`.
    func offerDataConsumer(of dataProducerId: String, to peer: Participant) async {
        guard let signaling = peer.signaling, peer.sctpCapabilities != nil,
            !peer.dataProducerIdsBeingConsumed.contains(dataProducerId),
            !peer.dataConsumers.values.contains(where: { $0.dataProducerId == dataProducerId })
        else { return }
        guard let transport = peer.consumingTransport, transport.sctpParameters != nil else {
            logger.warning(
                "peer has no consuming transport with SCTP; data producer not offered",
                metadata: ["roomId": "\(id)", "peerId": "\(peer.id)", "dataProducerId": "\(dataProducerId)"])
            return
        }
        let entry = dataProducers[dataProducerId]
        // Joining offers every data producer while a new one is offered to everyone: whichever
        // comes second while the first awaits its consumer must not make a second one.
        peer.dataProducerIdsBeingConsumed.insert(dataProducerId)
        defer { peer.dataProducerIdsBeingConsumed.remove(dataProducerId) }
        let dataConsumer: DataConsumer
        do {
            dataConsumer = try await transport.consumeData(DataConsumerOptions(dataProducerId: dataProducerId))
        } catch {
            logger.warning(
                "data consumer creation failed",
                metadata: ["roomId": "\(id)", "peerId": "\(peer.id)", "dataProducerId": "\(dataProducerId)",
                    "error": "\(error)"])
            return
        }
        guard participants[peer.id] === peer, let sctpStreamParameters = dataConsumer.sctpStreamParameters else {
            await dataConsumer.close()
            return
        }
        peer.dataConsumers[dataConsumer.id] = dataConsumer
        watch(dataConsumer, ownerId: peer.id)
        await signaling.offerDataConsumer(DataConsumerOffer(
            peerId: entry?.ownerId, dataProducerId: dataProducerId, id: dataConsumer.id,
            sctpStreamParameters: sctpStreamParameters, label: dataConsumer.label, protocol: dataConsumer.protocol,
            appData: entry?.appData ?? .emptyObject, transportId: transport.id))
    }

    func displayName(of participantId: String) -> String? {
        participants[participantId]?.displayName
    }

    private var botDataProducerId: String? { botInstance?.dataProducer.id }

    /// The room's bot, made on first use.
    func bot() async -> RoomBot? {
        if let botInstance { return botInstance }
        if botCreation == nil {
            let router = self.router
            let consumerRouter = consumerSide?.router
            botCreation = Task {
                guard let bot = try? await RoomBot.make(router: router) else { return nil }
                // With pipe transports, peers consume the bot on the other router.
                if let consumerRouter {
                    do {
                        _ = try await router.pipeToRouter(
                            PipeToRouterOptions(dataProducerId: bot.dataProducer.id, router: consumerRouter))
                    } catch {
                        await bot.close()
                        return nil
                    }
                }
                return bot
            }
        }
        let bot = await botCreation?.value
        botInstance = bot
        return bot
    }

    private func watch(_ dataProducer: DataProducer, ownerId: String) {
        Task { [weak self] in
            for await _ in dataProducer.events {}
            await self?.dataProducerEnded(dataProducer.id, ownerId: ownerId)
        }
    }

    private func watch(_ dataConsumer: DataConsumer, ownerId: String) {
        Task { [weak self] in
            for await event in dataConsumer.events {
                guard case .closed(.dataProducerClosed) = event else { continue }
                await self?.notify(ownerId, .dataConsumerClosed(dataConsumerId: dataConsumer.id))
            }
            await self?.dataConsumerEnded(dataConsumer.id, ownerId: ownerId)
        }
    }

    private func dataProducerEnded(_ dataProducerId: String, ownerId: String) {
        dataProducers[dataProducerId] = nil
        participants[ownerId]?.dataProducers[dataProducerId] = nil
    }

    private func dataConsumerEnded(_ dataConsumerId: String, ownerId: String) {
        participants[ownerId]?.dataConsumers[dataConsumerId] = nil
    }
}
