/// What an access token lets a protoo peer do, as LiveKit's grants and OWT's token roles do.
public enum ProtooPermission: String, Codable, Sendable, CaseIterable {
    /// Create sending transports and producers.
    case publish
    /// Create receiving transports and get consumers of the others' producers.
    case subscribe
    /// Produce and consume data channels.
    case data
}
