/// mediasoup's data producer stats entry (`type: "data-producer"`).
public struct DataProducerStats: Sendable, Hashable, Codable {
    public var type = "data-producer"
    public var timestamp: Int64
    public var label: String
    public var `protocol`: String
    public var messagesReceived: Int
    public var bytesReceived: Int
}
