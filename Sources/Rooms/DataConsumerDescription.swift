/// What `POST …/consume/data` answers, as mediasoup-demo: the data consumer and the SCTP stream
/// it sends on.
public struct DataConsumerDescription: Sendable, Hashable, Codable {
    public var id: String
    public var streamId: Int
}
