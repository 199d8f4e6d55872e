/// How one data channel maps onto an SCTP stream (mediasoup's `SctpStreamParameters`).
///
/// A channel is reliable and ordered by default; a partially reliable channel sets one of
/// `maxPacketLifeTime` and `maxRetransmits` and is unordered unless the limit is 0.
public struct SctpStreamParameters: Sendable, Hashable, Codable {
    /// The SCTP stream id, 0–65534.
    public var streamId: Int
    /// Defaults to true, or to false when a reliability limit above 0 is given.
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
    /// set or a limit is combined with `ordered: true`.
    ///
    /// As in mediasoup, a limit of 0 does not count in these checks: mediasoup-client sends
    /// `{ordered: true, maxRetransmits: 0}` for `produceData({maxRetransmits: 0})`, a channel the
    /// browser made ordered with no retransmissions, and that must be accepted as sent.
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
        let lifetimeSet = (maxPacketLifeTime ?? 0) > 0
        let retransmitsSet = (maxRetransmits ?? 0) > 0
        if lifetimeSet, retransmitsSet {
            throw .invalid("cannot provide both maxPacketLifeTime and maxRetransmits")
        }
        // A zero limit beside a set one is dropped, so the send path sees one limit only.
        if lifetimeSet { maxRetransmits = nil }
        if retransmitsSet { maxPacketLifeTime = nil }
        if ordered == true, lifetimeSet || retransmitsSet {
            throw .invalid("cannot be ordered with maxPacketLifeTime or maxRetransmits")
        }
        if ordered == nil { ordered = !(lifetimeSet || retransmitsSet) }
    }
}
