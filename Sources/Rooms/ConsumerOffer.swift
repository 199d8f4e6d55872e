import SFU

/// A consumer the room created, paused, for a signaling peer, as the peer must see it to
/// accept it (mediasoup-demo's `newConsumer` request data).
/// Encodes as the classic demo's `newConsumer`; `transportId` and `score` are for the
/// TypeScript demo's, which the signaling writes itself.
public struct ConsumerOffer: Sendable, Hashable, Encodable {
    /// The participant that owns the producer.
    public var peerId: String
    public var producerId: String
    /// The consumer id.
    public var id: String
    public var kind: MediaKind
    public var rtpParameters: RtpParameters
    public var type: ConsumerType
    /// The producer's application data.
    public var appData: JSONValue
    public var producerPaused: Bool
    /// The transport the consumer is on.
    public var transportId: String
    public var score: ConsumerScore

    private enum CodingKeys: String, CodingKey {
        case peerId, producerId, id, kind, rtpParameters, type, appData, producerPaused
    }
}
