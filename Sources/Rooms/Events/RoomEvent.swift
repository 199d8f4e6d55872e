import Foundation

/// What a room tells the application at its `eventNotificationUri` (2060-io's webhook body,
/// `{roomId, peerId, event}`, extended with room lifecycle and live snapshots).
public struct RoomEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case roomCreated = "room-created"
        case roomClosed = "room-closed"
        /// A peer joined (protoo `join`) or a broadcaster was added — not a bare socket accept.
        case peerJoined = "peer-joined"
        case peerLeft = "peer-left"
        /// A periodic snapshot of who is in the room.
        case roomLive = "room-live"
    }

    public var roomId: String
    public var peerId: String?
    public var event: Kind
    /// The participants in the room, for `room-live`.
    public var peers: [String]?
    /// Milliseconds since 1970, when the event happened.
    public var timestamp: Int

    public init(roomId: String, peerId: String? = nil, event: Kind, peers: [String]? = nil, date: Date = Date()) {
        self.roomId = roomId
        self.peerId = peerId
        self.event = event
        self.peers = peers
        self.timestamp = Int(date.timeIntervalSince1970 * 1000)
    }
}
