/// mediasoup's `DataConsumerOptions`. The reliability settings default to the data producer's.
public struct DataConsumerOptions: Sendable {
    public var dataProducerId: String
    public var ordered: Bool?
    public var maxPacketLifeTime: Int?
    public var maxRetransmits: Int?
    public var paused: Bool

    public init(
        dataProducerId: String, ordered: Bool? = nil, maxPacketLifeTime: Int? = nil, maxRetransmits: Int? = nil,
        paused: Bool = false
    ) {
        self.dataProducerId = dataProducerId
        self.ordered = ordered
        self.maxPacketLifeTime = maxPacketLifeTime
        self.maxRetransmits = maxRetransmits
        self.paused = paused
    }
}
