import SFU

/// What a signaling peer may do to its own transports, producers and consumers
/// (mediasoup-demo's per-object requests).
extension Room {
    /// New ICE credentials for one of the peer's WebRTC transports.
    public func restartIce(peerId: String, transportId: String) async throws(RoomError) -> IceParameters {
        let transport = try webRtcTransport(of: try peer(peerId, mustBeJoined: false), id: transportId)
        do {
            return try await transport.restartIce()
        } catch {
            throw RoomError(error)
        }
    }

    public func transportStats(peerId: String, transportId: String) async throws(RoomError) -> TransportStats {
        let participant = try peer(peerId, mustBeJoined: false)
        if let transport = participant.webRtcTransports[transportId] { return await transport.getStats() }
        if let transport = participant.plainTransports[transportId] { return await transport.getStats() }
        throw .notFound("transport with id \"\(transportId)\" not found")
    }

    public func producerStats(peerId: String, producerId: String) async throws(RoomError) -> [RtpInboundStreamStats] {
        try await ownProducer(of: try peer(peerId, mustBeJoined: false), id: producerId).getStats()
    }

    public func consumerStats(peerId: String, consumerId: String) async throws(RoomError) -> [RtpStreamStats] {
        try await ownConsumer(of: try peer(peerId, mustBeJoined: false), id: consumerId).getStats()
    }

    /// Closes one of the peer's producers; its consumers close and their peers hear
    /// `consumerClosed`.
    public func closeProducer(peerId: String, producerId: String) async throws(RoomError) {
        let participant = try peer(peerId, mustBeJoined: true)
        let producer = try ownProducer(of: participant, id: producerId)
        participant.producers[producerId] = nil
        producers[producerId] = nil
        await producer.close()
    }

    public func pauseProducer(peerId: String, producerId: String) async throws(RoomError) {
        try await ownProducer(of: try peer(peerId, mustBeJoined: true), id: producerId).pause()
    }

    public func resumeProducer(peerId: String, producerId: String) async throws(RoomError) {
        try await ownProducer(of: try peer(peerId, mustBeJoined: true), id: producerId).resume()
    }

    public func pauseConsumer(peerId: String, consumerId: String) async throws(RoomError) {
        let peer = try peer(peerId, mustBeJoined: true)
        let consumer = try ownConsumer(of: peer, id: consumerId)
        if peer.unansweredConsumerOffers[consumerId] != nil { peer.unansweredConsumerOffers[consumerId] = true }
        await consumer.pause()
    }

    public func resumeConsumer(peerId: String, consumerId: String) async throws(RoomError) {
        let peer = try peer(peerId, mustBeJoined: true)
        let consumer = try ownConsumer(of: peer, id: consumerId)
        if peer.unansweredConsumerOffers[consumerId] != nil { peer.unansweredConsumerOffers[consumerId] = false }
        await consumer.resume()
    }

    /// Limits a simulcast/SVC consumer to `layers` (the highest forwarded when available).
    public func setConsumerPreferredLayers(peerId: String, consumerId: String, layers: ConsumerLayers)
        async throws(RoomError)
    {
        guard layers.spatialLayer >= 0, (layers.temporalLayer ?? 0) >= 0 else {
            throw .invalid("spatialLayer and temporalLayer must not be negative")
        }
        try await ownConsumer(of: try peer(peerId, mustBeJoined: true), id: consumerId).setPreferredLayers(layers)
    }

    /// Sets a consumer's share of the bandwidth, 1 (default) to 255.
    public func setConsumerPriority(peerId: String, consumerId: String, priority: Int) async throws(RoomError) {
        guard (1...255).contains(priority) else { throw .invalid("priority must be between 1 and 255, got \(priority)") }
        try await ownConsumer(of: try peer(peerId, mustBeJoined: true), id: consumerId).setPriority(priority)
    }

    public func requestConsumerKeyFrame(peerId: String, consumerId: String) async throws(RoomError) {
        try await ownConsumer(of: try peer(peerId, mustBeJoined: true), id: consumerId).requestKeyFrame()
    }

    // MARK: - Lookups

    private func webRtcTransport(of participant: Participant, id transportId: String) throws(RoomError)
        -> WebRtcTransport
    {
        guard let transport = participant.webRtcTransports[transportId] else {
            throw .notFound("transport with id \"\(transportId)\" not found")
        }
        return transport
    }

    private func ownProducer(of participant: Participant, id producerId: String) throws(RoomError) -> Producer {
        guard let producer = participant.producers[producerId] else {
            throw .notFound("producer with id \"\(producerId)\" not found")
        }
        return producer
    }

    private func ownConsumer(of participant: Participant, id consumerId: String) throws(RoomError) -> Consumer {
        guard let consumer = participant.consumers[consumerId] else {
            throw .notFound("consumer with id \"\(consumerId)\" not found")
        }
        return consumer
    }
}
