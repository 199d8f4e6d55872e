/// Application-level room policy.
public struct RoomsConfiguration: Sendable {
    /// Whether `GET /rooms/:id` and joining create missing rooms (mediasoup-demo does).
    public var autoCreateRooms: Bool
    /// The room size limit when the creator gives none; counts peers and broadcasters.
    public var defaultMaxPeerCount: Int?
    /// How long a room that nobody joined stays open.
    public var idleRoomTimeout: Duration
    /// TURN servers (with credentials for `participantId`) for clients' WebRTC transports.
    public var iceServers: @Sendable (_ participantId: String) -> [IceServerDescription]
    /// False while the server drains: the calls under way carry on (a peer may reconnect under
    /// its id), new rooms, peers and broadcasters are refused.
    public var acceptsNewSessions: @Sendable () -> Bool
    public var webhooks: WebhookSettings

    public init(
        autoCreateRooms: Bool = true, defaultMaxPeerCount: Int? = nil, idleRoomTimeout: Duration = .seconds(300),
        iceServers: @escaping @Sendable (_ participantId: String) -> [IceServerDescription] = { _ in [] },
        acceptsNewSessions: @escaping @Sendable () -> Bool = { true }, webhooks: WebhookSettings = WebhookSettings()
    ) {
        self.autoCreateRooms = autoCreateRooms
        self.defaultMaxPeerCount = defaultMaxPeerCount
        self.idleRoomTimeout = idleRoomTimeout
        self.iceServers = iceServers
        self.acceptsNewSessions = acceptsNewSessions
        self.webhooks = webhooks
    }
}
