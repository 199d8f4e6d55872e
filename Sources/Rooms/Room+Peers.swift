import SFU

/// Signaling peers (protoo): they connect, `join`, are offered a paused consumer for every
/// producer they can consume, and hear about the others through their ``PeerSignaling``.
extension Room {
    /// Admits a newly connected peer, not yet joined. A peer with the same id is closed and
    /// replaced ("last connection wins"); a broadcaster with that id is a conflict.
    /// `consumerReplicas` extra copies of every consumer are offered to it (mediasoup-demo's
    /// load-testing URL parameter).
    public func addPeer(id peerId: String, signaling: any PeerSignaling, consumerReplicas: Int = 0) async throws(RoomError) {
        try checkOpen()
        // A draining server keeps the calls it has: a peer reconnecting (a network change, a
        // reload) takes its place again, a new one is sent elsewhere.
        guard participants[peerId] != nil || isReturning(peerId) || configuration.acceptsNewSessions() else {
            throw .unavailable("server is draining; no new peers")
        }
        // Looked up again after each wait: another connection or a broadcaster may have taken
        // the id meanwhile.
        while let existing = participants[peerId] {
            guard existing.role == .peer else { throw .conflict("a broadcaster with id \"\(peerId)\" is in the room") }
            await remove(existing, closingEmptyRoom: false)
            await existing.signaling?.close()
            // The room may have closed while the old peer was being taken down.
            try checkOpen()
        }
        if let maxPeerCount, participants.count >= maxPeerCount {
            throw .conflict("room is full (maxPeerCount \(maxPeerCount))")
        }
        let peer = Participant(
            id: peerId, role: .peer, displayName: peerId, device: DeviceInfo(name: "unknown"), rtpCapabilities: nil,
            signaling: signaling)
        peer.consumerReplicas = max(0, consumerReplicas)
        participants[peerId] = peer
        hadParticipants = true
    }

    /// Joins a connected peer: the others hear `newPeer`, and the answer lists the joined peers
    /// and broadcasters with the producers `rtpCapabilities` can consume. Call
    /// ``startConsuming(peerId:)`` once the answer is on its way.
    public func join(
        peerId: String, displayName: String, device: DeviceInfo, rtpCapabilities: RtpCapabilities?,
        sctpCapabilities: SctpCapabilities? = nil
    ) async throws(RoomError) -> [PeerSummary] {
        let peer = try peer(peerId, mustBeJoined: false)
        guard !peer.joined else { throw .conflict("Peer already joined") }
        var capabilities = rtpCapabilities
        do {
            try capabilities?.validate()
        } catch {
            throw RoomError(error)
        }
        peer.displayName = displayName
        peer.device = device
        do {
            try sctpCapabilities?.validate()
        } catch {
            throw RoomError(error)
        }
        peer.rtpCapabilities = capabilities
        peer.sctpCapabilities = sctpCapabilities
        peer.joined = true
        await notifyJoinedPeers(.newPeer(summary(of: peer)), except: peerId)
        publish(.peerJoined, peerId: peerId)
        logger.info("peer joined", metadata: ["roomId": "\(id)", "peerId": "\(peerId)"])
        return await peerSummaries(excluding: peerId, consumableWith: capabilities)
    }

    /// Offers a joined peer a consumer of every producer in the room, and of every later one.
    /// Its `newConsumer` requests follow whatever was queued for it before this call (the
    /// `join` answer).
    public func startConsuming(peerId: String) async {
        guard let peer = participants[peerId], peer.role == .peer, peer.joined, !peer.receivesConsumers else { return }
        peer.receivesConsumers = true
        for (producerId, entry) in producers where entry.ownerId != peerId {
            await offerConsumer(of: producerId, to: peer)
        }
        await startDataConsuming(for: peer)
    }

    /// Removes the peer whose session is `signaling` and closes everything it owns; nothing
    /// happens when that session was already replaced by a newer one.
    public func removePeer(id peerId: String, signaling: any PeerSignaling) async {
        guard let peer = participants[peerId], peer.role == .peer, peer.signaling === signaling else { return }
        await removeDeparting(peer)
    }

    /// Removes a peer that went away (its socket closed, its media lost). While the server drains,
    /// the room waits `rejoinWindow` for it before closing empty: the last person's reload comes
    /// back to a room a draining server could not make again.
    func removeDeparting(_ peer: Participant) async {
        recordDeparture(of: peer.id)
        let draining = !configuration.acceptsNewSessions()
        await remove(peer, closingEmptyRoom: !draining)
        guard draining, participants.isEmpty else { return }
        Task { [weak self] in
            try? await Task.sleep(for: Self.rejoinWindow)
            await self?.closeIfEmpty()
        }
    }

    private func closeIfEmpty() async {
        if participants.isEmpty, !isClosed { await close() }
    }

    /// How long a peer that left may come back while the server drains (a browser reload closes
    /// the old socket before it opens the new one).
    static let rejoinWindow: Duration = .seconds(60)

    private func recordDeparture(of peerId: String) {
        let now = ContinuousClock.now
        departedPeers = departedPeers.filter { now - $0.value < Self.rejoinWindow }
        departedPeers[peerId] = now
    }

    private func isReturning(_ peerId: String) -> Bool {
        departedPeers[peerId].map { ContinuousClock.now - $0 < Self.rejoinWindow } ?? false
    }

    /// Renames a joined peer; the others hear `peerDisplayNameChanged`.
    public func changeDisplayName(peerId: String, displayName: String) async throws(RoomError) {
        let peer = try peer(peerId, mustBeJoined: true)
        let oldDisplayName = peer.displayName
        peer.displayName = displayName
        await notifyJoinedPeers(
            .peerDisplayNameChanged(peerId: peerId, displayName: displayName, oldDisplayName: oldDisplayName),
            except: peerId)
    }

    /// Whether the peer has sent `join`.
    public func isJoined(peerId: String) -> Bool {
        participants[peerId]?.joined ?? false
    }

    // MARK: - Internals

    func peer(_ peerId: String, mustBeJoined: Bool) throws(RoomError) -> Participant {
        try checkOpen()
        guard let peer = participants[peerId], peer.role == .peer else {
            throw .notFound("peer with id \"\(peerId)\" not found")
        }
        if mustBeJoined, !peer.joined { throw .conflict("Peer not yet joined") }
        return peer
    }

    func summary(of participant: Participant) -> PeerSummary {
        PeerSummary(id: participant.id, displayName: participant.displayName, device: participant.device, producers: [])
    }

    func notify(_ participantId: String, _ notification: PeerNotification) async {
        await participants[participantId]?.signaling?.notify(notification)
    }

    func notifyJoinedPeers(_ notification: PeerNotification, except excludedId: String?) async {
        for participant in participants.values where participant.joined && participant.id != excludedId {
            await participant.signaling?.notify(notification)
        }
    }

    /// Creates a paused consumer of `producerId` on the peer's consuming transport and offers
    /// it with `newConsumer` (and as many copies as the peer's `consumerReplicas`); skipped when
    /// the peer cannot consume it or already does.
    func offerConsumer(of producerId: String, to peer: Participant) async {
        guard let entry = producers[producerId], let signaling = peer.signaling, let capabilities = peer.rtpCapabilities,
            !peer.producerIdsBeingConsumed.contains(producerId),
            !peer.consumers.values.contains(where: { $0.producerId == producerId })
        else { return }
        guard let transport = peer.consumingTransport else {
            logger.warning(
                "peer has no consuming transport; producer not offered",
                metadata: ["roomId": "\(id)", "peerId": "\(peer.id)", "producerId": "\(producerId)"])
            return
        }
        peer.producerIdsBeingConsumed.insert(producerId)
        defer { peer.producerIdsBeingConsumed.remove(producerId) }
        guard await router.canConsume(producerId: producerId, rtpCapabilities: capabilities) else { return }
        for _ in 0...peer.consumerReplicas {
            guard participants[peer.id] === peer else { return }
            await offerNewConsumer(
                of: producerId, owner: entry, to: peer, on: transport, capabilities: capabilities, signaling: signaling)
        }
    }

    private func offerNewConsumer(
        of producerId: String, owner entry: (producer: Producer, ownerId: String, appData: JSONValue),
        to peer: Participant, on transport: WebRtcTransport, capabilities: RtpCapabilities,
        signaling: any PeerSignaling
    ) async {
        let consumer: Consumer
        do {
            consumer = try await transport.consume(ConsumerOptions(
                producerId: producerId, rtpCapabilities: capabilities, paused: true, enableRtx: true, ignoreDtx: true))
        } catch {
            logger.warning(
                "consumer creation failed",
                metadata: ["roomId": "\(id)", "peerId": "\(peer.id)", "producerId": "\(producerId)", "error": "\(error)"])
            return
        }
        guard participants[peer.id] === peer else {
            await consumer.close()
            return
        }
        peer.consumers[consumer.id] = consumer
        let offer = ConsumerOffer(
            peerId: entry.ownerId, producerId: producerId, id: consumer.id, kind: consumer.kind,
            rtpParameters: consumer.rtpParameters, type: consumer.type, appData: entry.appData,
            producerPaused: consumer.producerPaused, transportId: transport.id, score: await consumer.score)
        let peerId = peer.id
        peer.unansweredConsumerOffers[consumer.id] = false
        await signaling.offerConsumer(offer) { [weak self] accepted in
            await self?.consumerOfferAnswered(consumerId: consumer.id, peerId: peerId, accepted: accepted)
        }
        watch(consumer, ownerId: peer.id)
    }

    /// Resumes an accepted consumer (unless the peer paused it before answering) and sends its
    /// score; closes a refused or unanswered one, which the peer will never use, and says so.
    private func consumerOfferAnswered(consumerId: String, peerId: String, accepted: Bool) async {
        guard let peer = participants[peerId], let consumer = peer.consumers[consumerId] else { return }
        let pausedMeanwhile = peer.unansweredConsumerOffers.removeValue(forKey: consumerId) ?? false
        guard accepted else {
            logger.info(
                "consumer refused by peer; closing it",
                metadata: ["roomId": "\(id)", "peerId": "\(peerId)", "consumerId": "\(consumerId)"])
            participants[peerId]?.consumers[consumerId] = nil
            await consumer.close()
            // An offer that timed out may still be accepted late, after the answer counts no more:
            // the client then learns its consumer is gone. One that refused ignores an unknown id.
            await notify(peerId, .consumerClosed(consumerId: consumerId))
            return
        }
        if !pausedMeanwhile { await consumer.resume() }
        let score = await consumer.score
        await notify(peerId, .consumerScore(consumerId: consumerId, score: score))
    }
}
