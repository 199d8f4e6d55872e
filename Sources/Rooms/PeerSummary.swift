import SFU

/// A participant as others see it (the `peers` entries of mediasoup-demo's answers).
public struct PeerSummary: Sendable, Hashable, Codable {
    public struct ProducerSummary: Sendable, Hashable, Codable {
        public var id: String
        public var kind: MediaKind
    }

    public var id: String
    public var displayName: String
    public var device: DeviceInfo
    public var producers: [ProducerSummary]
}
