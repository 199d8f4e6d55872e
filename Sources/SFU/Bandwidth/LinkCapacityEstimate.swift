/// What the path carried each time it was overused: a smoothed mean with its deviation
/// (libwebrtc's LinkCapacityEstimator). Near it the rate grows additively, far below it
/// multiplicatively; throughput above its upper bound means the path changed and it is dropped.
struct LinkCapacityEstimate {
    /// Bits per second.
    private(set) var mean: Double?
    /// Normalized variance: deviation² / mean, in kbit/s.
    private var variance = 0.4

    var upperBound: Double? { mean.map { $0 + 3 * deviation(of: $0) } }
    var lowerBound: Double? { mean.map { max(0, $0 - 3 * deviation(of: $0)) } }

    private func deviation(of mean: Double) -> Double {
        (variance * mean / 1000).squareRoot() * 1000
    }

    mutating func overuseDetected(throughput: Double) {
        guard let mean else {
            self.mean = throughput
            return
        }
        let alpha = 0.05
        let updated = (1 - alpha) * mean + alpha * throughput
        let error = (updated - throughput) / 1000
        variance = min(max((1 - alpha) * variance + alpha * error * error / max(updated / 1000, 1), 0.4), 2.5)
        self.mean = updated
    }

    mutating func reset() {
        mean = nil
    }
}
