/// A spatial and temporal layer pair (mediasoup's ConsumerLayers).
public struct ConsumerLayers: Sendable, Hashable, Codable {
    public var spatialLayer: Int
    public var temporalLayer: Int?

    public init(spatialLayer: Int, temporalLayer: Int? = nil) {
        self.spatialLayer = spatialLayer
        self.temporalLayer = temporalLayer
    }
}
