import Rooms

extension PeerNotification {
    /// The notifications that tell a peer of `dialect` about this: one, or none for what that
    /// demo has no notification for, or two for the TypeScript demo's active speaker.
    func protooNotifications(in dialect: ProtooDialect) throws -> [ProtooNotification] {
        guard dialect == .typeScript else { return [try protooNotification()] }
        switch self {
        case .newPeer(let peer):
            return [ProtooNotification(method: "newPeer", data: .object(["peer": .object([
                "peerId": .string(peer.id), "displayName": .string(peer.displayName),
                "device": try JSONValue(encoding: peer.device),
            ])]))]
        case .consumerLayersChanged(let consumerId, let layers):
            var data: [String: JSONValue] = ["consumerId": .string(consumerId)]
            if let layers {
                data["layers"] = .object([
                    "spatialLayer": .integer(Int64(layers.spatialLayer)),
                    "temporalLayer": layers.temporalLayer.map { .integer(Int64($0)) } ?? .null,
                ])
            }
            return [ProtooNotification(method: "consumerLayersChanged", data: .object(data))]
        case .activeSpeaker(let peerId, let volume):
            let peerVolumes: [JSONValue] = peerId.map {
                [.object(["peerId": .string($0), "volume": volume.map { .integer(Int64($0)) } ?? .null])]
            } ?? []
            return [
                ProtooNotification(method: "speakingPeers", data: .object(["peerVolumes": .array(peerVolumes)])),
                ProtooNotification(method: "activeSpeaker", data: .object(peerId.map { ["peerId": .string($0)] } ?? [:])),
            ]
        case .downlinkBandwidth:
            return []
        default:
            return [try protooNotification()]
        }
    }

    /// The notification as mediasoup-demo v3 sends it: method name and `data` fields.
    private func protooNotification() throws -> ProtooNotification {
        switch self {
        case .newPeer(let peer):
            ProtooNotification(method: "newPeer", data: .object([
                "id": .string(peer.id), "displayName": .string(peer.displayName),
                "device": try JSONValue(encoding: peer.device),
            ]))
        case .peerClosed(let peerId):
            ProtooNotification(method: "peerClosed", data: .object(["peerId": .string(peerId)]))
        case .peerDisplayNameChanged(let peerId, let displayName, let oldDisplayName):
            ProtooNotification(method: "peerDisplayNameChanged", data: .object([
                "peerId": .string(peerId), "displayName": .string(displayName),
                "oldDisplayName": .string(oldDisplayName),
            ]))
        case .producerScore(let producerId, let score):
            ProtooNotification(method: "producerScore", data: .object([
                "producerId": .string(producerId), "score": try JSONValue(encoding: score),
            ]))
        case .consumerClosed(let consumerId):
            ProtooNotification(method: "consumerClosed", data: .object(["consumerId": .string(consumerId)]))
        case .consumerPaused(let consumerId):
            ProtooNotification(method: "consumerPaused", data: .object(["consumerId": .string(consumerId)]))
        case .consumerResumed(let consumerId):
            ProtooNotification(method: "consumerResumed", data: .object(["consumerId": .string(consumerId)]))
        case .consumerScore(let consumerId, let score):
            ProtooNotification(method: "consumerScore", data: .object([
                "consumerId": .string(consumerId), "score": try JSONValue(encoding: score),
            ]))
        case .consumerLayersChanged(let consumerId, let layers):
            ProtooNotification(method: "consumerLayersChanged", data: .object([
                "consumerId": .string(consumerId),
                "spatialLayer": layers.map { .integer(Int64($0.spatialLayer)) } ?? .null,
                "temporalLayer": layers?.temporalLayer.map { .integer(Int64($0)) } ?? .null,
            ]))
        case .activeSpeaker(let peerId, let volume):
            ProtooNotification(method: "activeSpeaker", data: .object(
                peerId.map { ["peerId": .string($0), "volume": volume.map { .integer(Int64($0)) } ?? .null] }
                    ?? ["peerId": .null]))
        case .downlinkBandwidth(let trace):
            ProtooNotification(method: "downlinkBwe", data: .object([
                "desiredBitrate": .integer(Int64(trace.desiredBitrate)),
                "effectiveDesiredBitrate": .integer(Int64(trace.effectiveDesiredBitrate)),
                "availableBitrate": .integer(Int64(trace.availableBitrate)),
            ]))
        case .dataConsumerClosed(let dataConsumerId):
            ProtooNotification(method: "dataConsumerClosed", data: .object(["dataConsumerId": .string(dataConsumerId)]))
        }
    }
}
