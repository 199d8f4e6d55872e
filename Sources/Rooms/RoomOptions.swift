import Foundation

/// What a room is created with (`POST /rooms` body).
public struct RoomOptions: Sendable {
    /// Where room and peer events are posted (2060-io style webhooks).
    public var eventNotificationUri: URL?
    public var maxPeerCount: Int?

    public init(eventNotificationUri: URL? = nil, maxPeerCount: Int? = nil) {
        self.eventNotificationUri = eventNotificationUri
        self.maxPeerCount = maxPeerCount
    }
}
