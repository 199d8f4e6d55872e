/// mediasoup's `AudioLevelObserverOptions`.
public struct AudioLevelObserverOptions: Sendable {
    /// Loudest producers reported per interval.
    public var maxEntries: Int
    /// Average level, in dBov (-127…0), a producer must reach to be reported.
    public var threshold: Int
    /// Milliseconds between reports.
    public var interval: Int

    public init(maxEntries: Int = 1, threshold: Int = -80, interval: Int = 1000) {
        self.maxEntries = maxEntries
        self.threshold = threshold
        self.interval = interval
    }
}
