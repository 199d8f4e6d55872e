/// How one data channel maps onto an SCTP stream (mediasoup's `SctpStreamParameters`).
///
/// A channel is reliable and ordered by default; a partially reliable channel sets exactly one
/// of `maxPacketLifeTime` and `maxRetransmits` and is unordered.
public struct SctpStreamParameters: Sendable, Hashable, Codable {
    /// The SCTP stream id, 0–65534.
    public var streamId: Int
    /// Defaults to true, or to false when a reliability limit is given.
    public var ordered: Bool?
    /// Milliseconds a message may be retransmitted for.
    public var maxPacketLifeTime: Int?
    /// Times a message may be retransmitted.
    public var maxRetransmits: Int?

    public init(streamId: Int, ordered: Bool? = nil, maxPacketLifeTime: Int? = nil, maxRetransmits: Int? = nil) {
        self.streamId = streamId
        self.ordered = ordered
        self.maxPacketLifeTime = maxPacketLifeTime
        self.maxRetransmits = maxRetransmits
    }

    /// mediasoup's `validateSctpStreamParameters`: fills `ordered`; throws when both limits are
    /// given or a limit is combined with `ordered: true`.
    ///
    /// Unlike mediasoup, which tests the limits for truthiness, `maxRetransmits: 0` counts as
    /// given: it is the common "never retransmit" setting, not an absent one.
    public mutating func validate() throws(OrtcError) {
        guard SctpLimits.streamId.contains(streamId) else {
            throw .invalid("invalid params.streamId [streamId:\(streamId)]")
        }
        if let maxPacketLifeTime, maxPacketLifeTime < 0 {
            throw .invalid("invalid params.maxPacketLifeTime [maxPacketLifeTime:\(maxPacketLifeTime)]")
        }
        if let maxRetransmits, maxRetransmits < 0 {
            throw .invalid("invalid params.maxRetransmits [maxRetransmits:\(maxRetransmits)]")
        }
        let hasLimit = maxPacketLifeTime != nil || maxRetransmits != nil
        if maxPacketLifeTime != nil, maxRetransmits != nil {
            throw .invalid("cannot provide both maxPacketLifeTime and maxRetransmits")
        }
        if ordered == true, hasLimit {
            throw .invalid("cannot be ordered with maxPacketLifeTime or maxRetransmits")
        }
        if ordered == nil { ordered = !hasLimit }
    }
}
