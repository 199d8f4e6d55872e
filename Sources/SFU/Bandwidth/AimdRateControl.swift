import Foundation

/// The rate a delay-based estimate allows (draft-ietf-rmcat-gcc §5.5, libwebrtc's
/// AimdRateControl): it grows while the path keeps up (8%/s far below the known link capacity,
/// about one packet per response time near it) but never beyond 1.5 times what the receiver
/// acknowledged, and falls to 85% of the acknowledged throughput on overuse.
///
/// Bitrates in bits per second, times in microseconds.
struct AimdRateControl {
    enum State { case hold, increase, decrease }

    static let beta = 0.85
    /// Multiplicative growth per second.
    static let growthPerSecond = 1.08
    /// The time from a change of rate to its effect in feedback: a round trip plus the feedback
    /// interval (100 ms each, without a measured round-trip time).
    static let responseTime: Int64 = 200_000
    static let averagePacketBits = 1200.0 * 8

    private(set) var bitrate: Double
    private var state = State.hold
    let minBitrate: Double
    var maxBitrate: Double
    private var linkCapacity = LinkCapacityEstimate()
    private var lastChange: Int64?
    private var lastDecrease: Int64?

    init(initialBitrate: Double, minBitrate: Double, maxBitrate: Double) {
        self.minBitrate = minBitrate
        self.maxBitrate = maxBitrate
        self.bitrate = min(max(initialBitrate, minBitrate), maxBitrate)
    }

    /// A probe or an outside source measured the path: take it as the rate.
    mutating func setEstimate(_ bitrate: Double, now: Int64) {
        self.bitrate = min(max(bitrate, minBitrate), maxBitrate)
        lastChange = now
    }

    /// Applies the detector's verdict on the latest feedback; `throughput` is the acknowledged
    /// bitrate, when known.
    mutating func update(usage: BandwidthUsage, throughput: Double?, now: Int64) {
        switch usage {
        case .normal:
            if state == .hold {
                state = .increase
                lastChange = now
            }
        case .overusing:
            if state != .decrease, timeToReduceFurther(now: now, throughput: throughput) { state = .decrease }
        case .underusing:
            state = .hold
        }
        switch state {
        case .hold:
            break
        case .increase:
            increase(throughput: throughput, now: now)
        case .decrease:
            decrease(throughput: throughput, now: now)
        }
        bitrate = min(max(bitrate, minBitrate), maxBitrate)
    }

    private func timeToReduceFurther(now: Int64, throughput: Double?) -> Bool {
        guard let lastDecrease, now - lastDecrease < Self.responseTime else { return true }
        // Still far above what arrives: reduce again without waiting.
        if let throughput, bitrate * 0.5 > throughput { return true }
        return false
    }

    private mutating func increase(throughput: Double?, now: Int64) {
        defer { lastChange = now }
        if let throughput, let upper = linkCapacity.upperBound, throughput > upper { linkCapacity.reset() }
        let limit = throughput.map { 1.5 * $0 + 10_000 } ?? .infinity
        guard bitrate < limit else { return }
        let elapsed = Double(min(now - (lastChange ?? now), 1_000_000)) / 1_000_000
        let step: Double
        if linkCapacity.mean != nil {
            let perSecond = max(4000, Self.averagePacketBits * 1_000_000 / Double(Self.responseTime))
            step = perSecond * elapsed
        } else {
            step = max(bitrate * (pow(Self.growthPerSecond, elapsed) - 1), 1000 * elapsed)
        }
        bitrate = min(bitrate + step, limit)
    }

    private mutating func decrease(throughput: Double?, now: Int64) {
        let measured = throughput ?? bitrate
        var decreased = Self.beta * measured
        // A throughput above the rate says little; back off from the known capacity instead.
        if decreased > bitrate, let mean = linkCapacity.mean { decreased = Self.beta * mean }
        if decreased < bitrate { bitrate = decreased }
        if let lower = linkCapacity.lowerBound, measured < lower { linkCapacity.reset() }
        linkCapacity.overuseDetected(throughput: measured)
        state = .hold
        lastChange = now
        lastDecrease = now
    }
}
