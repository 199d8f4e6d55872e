import Foundation

/// What a room is created with (`POST /rooms` body).
public struct RoomOptions: Sendable {
    /// Where room and peer events are posted (2060-io style webhooks).
    public var eventNotificationUri: URL?
    public var maxPeerCount: Int?
    /// Two routers on different workers (mediasoup-demo's `usePipeTransports`): producers live
    /// on one and are piped to the other, where peers' receiving transports consume them, so
    /// a large room's consumers load another core.
    public var usePipeTransports: Bool

    public init(eventNotificationUri: URL? = nil, maxPeerCount: Int? = nil, usePipeTransports: Bool = false) {
        self.eventNotificationUri = eventNotificationUri
        self.maxPeerCount = maxPeerCount
        self.usePipeTransports = usePipeTransports
    }
}
