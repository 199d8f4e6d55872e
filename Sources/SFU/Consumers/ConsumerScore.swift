/// How well a consumer's stream arrives and how good its source is (mediasoup's
/// ConsumerScore), each 0–10.
public struct ConsumerScore: Sendable, Hashable, Codable {
    /// The score of the stream this consumer sends, from the receiver's reports.
    public var score: Int
    /// The score of the producer stream currently forwarded.
    public var producerScore: Int
    /// The scores of all producer streams, in encoding order.
    public var producerScores: [Int]

    public init(score: Int, producerScore: Int, producerScores: [Int]) {
        self.score = score
        self.producerScore = producerScore
        self.producerScores = producerScores
    }
}
