/// mediasoup's data consumer stats entry (`type: "data-consumer"`).
public struct DataConsumerStats: Sendable, Hashable, Codable {
    public var type = "data-consumer"
    public var timestamp: Int64
    public var label: String
    public var `protocol`: String
    public var messagesSent: Int
    public var bytesSent: Int
    public var bufferedAmount: Int
}
