import SFU

/// A data consumer the room created for a signaling peer (mediasoup-demo's `newDataConsumer`
/// request data). `peerId` is null for the room bot's data producer. Encodes as the classic
/// demo's `newDataConsumer`; `transportId` is for the TypeScript demo's.
public struct DataConsumerOffer: Sendable, Hashable, Encodable {
    public var peerId: String?
    public var dataProducerId: String
    /// The data consumer id.
    public var id: String
    public var sctpStreamParameters: SctpStreamParameters
    public var label: String
    public var `protocol`: String
    /// The data producer's application data.
    public var appData: JSONValue
    /// The transport the data consumer is on.
    public var transportId: String

    private enum CodingKeys: String, CodingKey {
        case peerId, dataProducerId, id, sctpStreamParameters, label, `protocol`, appData
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(peerId, forKey: .peerId)
        try container.encode(dataProducerId, forKey: .dataProducerId)
        try container.encode(id, forKey: .id)
        try container.encode(sctpStreamParameters, forKey: .sctpStreamParameters)
        try container.encode(label, forKey: .label)
        try container.encode(`protocol`, forKey: .protocol)
        try container.encode(appData, forKey: .appData)
    }
}
