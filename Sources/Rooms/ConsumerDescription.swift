import SFU

/// A new consumer as its client must see it (mediasoup-demo's consume answer).
public struct ConsumerDescription: Sendable, Encodable {
    public var id: String
    public var producerId: String
    public var kind: MediaKind
    public var rtpParameters: RtpParameters
    public var type: ConsumerType
    public var producerPaused: Bool
}
