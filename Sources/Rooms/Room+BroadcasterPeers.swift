import SFU

/// What the TypeScript mediasoup-demo's broadcaster API adds to the classic one: an explicit
/// join, consumers resumed by the broadcaster, and a listing of everyone's producers.
extension Room {
    /// The broadcaster's `join`. Broadcasters take part from their creation here, so this only
    /// checks that `broadcasterId` is one.
    public func joinBroadcaster(id broadcasterId: String) throws(RoomError) {
        _ = try participant(broadcasterId, as: .broadcaster)
    }

    /// Resumes one of the broadcaster's consumers; with `transportId` (the form naming the
    /// transport), only one on that transport.
    public func resumeBroadcasterConsumer(
        broadcasterId: String, consumerId: String, transportId: String? = nil
    ) async throws(RoomError) {
        let broadcaster = try participant(broadcasterId, as: .broadcaster)
        if let transportId, broadcaster.webRtcTransports[transportId] == nil, broadcaster.plainTransports[transportId] == nil {
            throw .notFound("transport with id \"\(transportId)\" not found")
        }
        guard let consumer = broadcaster.consumers[consumerId], transportId.map({ consumer.transportId == $0 }) ?? true else {
            throw .notFound("consumer with id \"\(consumerId)\" not found")
        }
        await consumer.resume()
    }

    /// Every other joined participant's producers, by participant id.
    public func producersInfos(excluding broadcasterId: String) throws(RoomError) -> [PeerProducersInfo] {
        _ = try participant(broadcasterId, as: .broadcaster)
        return participants.values
            .filter { $0.id != broadcasterId && $0.joined }
            .sorted { $0.id < $1.id }
            .map { participant in
                PeerProducersInfo(
                    peerId: participant.id,
                    producers: participant.producers.values.sorted { $0.id < $1.id }.map(producerInfo))
            }
    }

    private func producerInfo(_ producer: Producer) -> PeerProducersInfo.ProducerInfo {
        var source = producer.kind.rawValue
        if case .object(let members) = producers[producer.id]?.appData, case .string(let named)? = members["source"] {
            source = named
        }
        return PeerProducersInfo.ProducerInfo(
            producerId: producer.id, kind: producer.kind, source: source,
            consumableCodecs: producer.consumableRtpParameters.codecs.map { codec in
                PeerProducersInfo.ConsumableCodec(
                    mimeType: codec.mimeType, payloadType: codec.payloadType, clockRate: codec.clockRate,
                    channels: codec.channels, parameters: codec.parameters)
            })
    }
}
