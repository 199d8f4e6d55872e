/// A short burst of padding sent at a chosen bitrate to learn whether the path carries it
/// before any media is sent at that rate.
struct ProbeCluster {
    /// How long a cluster lasts: long enough to measure a rate across jitter, short enough not
    /// to congest the path for long if it does not carry it.
    static let duration: Int64 = 50_000

    let id: Int
    /// Bits per second.
    let bitrate: Double
}
