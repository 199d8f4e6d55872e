/// What an ``IceServer`` did with the STUN packets it was given, for metrics and debugging.
/// Every packet passed to ``IceServer/handleStunPacket(_:tuple:now:)`` counts exactly once.
public struct IceServerStats: Sendable, Hashable {
    /// Valid Binding requests answered with a success response.
    public var requestsAccepted = 0
    /// Requests answered with an error response (400, 401, 420, 487).
    public var requestsRejected = 0
    /// Indications and responses: an ICE-lite agent sends no requests, so it expects neither.
    public var messagesIgnored = 0
    /// Packets that were not a well-formed STUN message, failed FINGERPRINT, came from a
    /// tuple STUN cannot address, or arrived after ``IceServer/close()``.
    public var packetsDropped = 0

    public init() {}
}
