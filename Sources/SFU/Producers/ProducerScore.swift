/// The quality of one received stream (mediasoup's ProducerScore), 0 (lost) to 10 (perfect).
public struct ProducerScore: Sendable, Hashable, Codable {
    public var encodingIdx: Int
    public var ssrc: UInt32
    public var rid: String?
    public var score: Int

    public init(encodingIdx: Int, ssrc: UInt32, rid: String?, score: Int) {
        self.encodingIdx = encodingIdx
        self.ssrc = ssrc
        self.rid = rid
        self.score = score
    }
}
