/// A step a simulcast consumer can be given out of its transport's bandwidth: an encoding up to
/// one of its temporal layers, with what forwarding it costs.
struct BandwidthLayer: Equatable {
    let encoding: Int
    let temporalLayer: Int
    /// Bits per second; ignored when comparing limits.
    let bitrate: Int

    static func == (lhs: BandwidthLayer, rhs: BandwidthLayer) -> Bool {
        lhs.encoding == rhs.encoding && lhs.temporalLayer == rhs.temporalLayer
    }
}
