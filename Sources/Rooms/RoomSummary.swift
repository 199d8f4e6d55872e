/// A room in the `GET /rooms` listing.
public struct RoomSummary: Sendable, Hashable, Codable {
    public var roomId: String
    public var peerCount: Int
    public var maxPeerCount: Int?
}
