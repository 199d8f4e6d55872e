/// A step a consumer can be given out of its transport's bandwidth: an encoding of a simulcast
/// consumer (a spatial layer of an SVC one) up to one of its temporal layers, with what
/// forwarding it costs.
struct BandwidthLayer: Equatable {
    let spatialLayer: Int
    let temporalLayer: Int
    /// Bits per second; ignored when comparing limits.
    let bitrate: Int

    static func == (lhs: BandwidthLayer, rhs: BandwidthLayer) -> Bool {
        lhs.spatialLayer == rhs.spatialLayer && lhs.temporalLayer == rhs.temporalLayer
    }
}
