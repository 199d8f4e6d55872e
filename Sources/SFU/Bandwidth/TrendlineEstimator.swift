/// The delay-based half of Google congestion control (draft-ietf-rmcat-gcc, libwebrtc's
/// TrendlineEstimator): the slope of the smoothed one-way delay growth over the last 20 packet
/// groups, compared with a threshold that adapts to the path's jitter, says whether the sender
/// overuses the path.
struct TrendlineEstimator {
    static let windowSize = 20
    static let smoothing = 0.9
    static let thresholdGain = 4.0
    /// How long (ms) the trend must stay above the threshold to count as overuse.
    static let overuseTime = 10.0

    private(set) var usage = BandwidthUsage.normal
    /// In ms, adapted between 6 and 600.
    private var threshold = 12.5

    private var deltaCount = 0
    private var firstArrivalTime: Int64?
    private var accumulatedDelay = 0.0
    private var smoothedDelay = 0.0
    /// (ms since the first arrival, smoothed accumulated delay in ms)
    private var history: [(x: Double, y: Double)] = []
    private var trend = 0.0
    private var previousTrend = 0.0
    private var timeOverusing = -1.0
    private var overuseCount = 0
    private var lastThresholdUpdate: Int64?

    /// Takes one group delta; ``usage`` is what it leads to.
    mutating func update(_ delta: PacketGroupDeltas.Delta) {
        let sendDelta = Double(delta.sendDelta) / 1000
        let delayDelta = Double(delta.arrivalDelta - delta.sendDelta) / 1000
        deltaCount = min(deltaCount + 1, 1000)
        let first = firstArrivalTime ?? delta.arrivalTime
        firstArrivalTime = first
        accumulatedDelay += delayDelta
        smoothedDelay = Self.smoothing * smoothedDelay + (1 - Self.smoothing) * accumulatedDelay
        history.append((x: Double(delta.arrivalTime - first) / 1000, y: smoothedDelay))
        if history.count > Self.windowSize { history.removeFirst() }
        if history.count == Self.windowSize, let slope = Self.slope(of: history) { trend = slope }
        detect(sendDelta: sendDelta, now: delta.arrivalTime)
    }

    private mutating func detect(sendDelta: Double, now: Int64) {
        guard deltaCount >= 2 else {
            usage = .normal
            return
        }
        let modifiedTrend = Double(min(deltaCount, 60)) * trend * Self.thresholdGain
        if modifiedTrend > threshold {
            timeOverusing = timeOverusing < 0 ? sendDelta / 2 : timeOverusing + sendDelta
            overuseCount += 1
            if timeOverusing > Self.overuseTime, overuseCount > 1, trend >= previousTrend {
                timeOverusing = 0
                overuseCount = 0
                usage = .overusing
            }
        } else if modifiedTrend < -threshold {
            timeOverusing = -1
            overuseCount = 0
            usage = .underusing
        } else {
            timeOverusing = -1
            overuseCount = 0
            usage = .normal
        }
        previousTrend = trend
        adaptThreshold(modifiedTrend: modifiedTrend, now: now)
    }

    /// The threshold follows the trend's size, upwards slowly and downwards fast, so that jitter
    /// alone does not read as overuse and a competing TCP flow does not starve us; spikes far
    /// above it are ignored.
    private mutating func adaptThreshold(modifiedTrend: Double, now: Int64) {
        let last = lastThresholdUpdate ?? now
        lastThresholdUpdate = now
        let magnitude = abs(modifiedTrend)
        guard magnitude <= threshold + 15 else { return }
        let gain = magnitude < threshold ? 0.039 : 0.0087
        let elapsed = min(Double(now - last) / 1000, 100)
        threshold = min(max(threshold + gain * (magnitude - threshold) * elapsed, 6), 600)
    }

    /// Least-squares slope of `points`; nil when they have no spread in x.
    static func slope(of points: [(x: Double, y: Double)]) -> Double? {
        let count = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.x } / count
        let meanY = points.reduce(0) { $0 + $1.y } / count
        var numerator = 0.0
        var denominator = 0.0
        for point in points {
            numerator += (point.x - meanX) * (point.y - meanY)
            denominator += (point.x - meanX) * (point.x - meanX)
        }
        return denominator == 0 ? nil : numerator / denominator
    }
}
