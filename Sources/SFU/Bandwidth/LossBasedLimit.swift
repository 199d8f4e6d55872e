import Foundation

/// The loss-based half of Google congestion control (draft-ietf-rmcat-gcc §6): more than 10% of
/// packets lost over the last feedback period cuts the rate by half the loss fraction; less than
/// 2% lets the limit grow again by 8% a second; between the two it holds.
///
/// Bitrates in bits per second, times in microseconds.
struct LossBasedLimit {
    /// Packets a loss fraction is computed over at least.
    static let minimumPackets = 20
    /// Cuts are at least this far apart, so one burst of loss is not counted twice.
    static let decreaseInterval: Int64 = 300_000

    /// nil: loss does not limit the rate.
    private(set) var limit: Double?
    private var expected = 0
    private var lost = 0
    private var lastUpdate: Int64?
    private var lastDecrease: Int64?

    /// A probe measured `bitrate` through the path without loss of its own: the limit rises to
    /// it (as libwebrtc's loss-based estimate takes a probe result), rather than creep up by 8%
    /// a second after a congestion that is over.
    mutating func probeMeasured(_ bitrate: Double) {
        guard let limit, bitrate > limit else { return }
        self.limit = bitrate
    }

    /// Counts one feedback's packets; `delayBasedBitrate` is what the delay-based estimate allows.
    mutating func update(expected newExpected: Int, lost newLost: Int, delayBasedBitrate: Double, now: Int64) {
        expected += newExpected
        lost += newLost
        guard expected >= Self.minimumPackets else { return }
        let fraction = Double(lost) / Double(expected)
        expected = 0
        lost = 0
        let elapsed = Double(min(now - (lastUpdate ?? now), 1_000_000)) / 1_000_000
        lastUpdate = now
        if fraction > 0.1 {
            if let lastDecrease, now - lastDecrease < Self.decreaseInterval { return }
            lastDecrease = now
            limit = min(limit ?? delayBasedBitrate, delayBasedBitrate) * (1 - 0.5 * fraction)
        } else if fraction < 0.02, let limit {
            let raised = limit * pow(1.08, elapsed) + 1000 * elapsed
            // Once loss no longer holds the rate below what the delay allows, it stops limiting.
            self.limit = raised >= delayBasedBitrate ? nil : raised
        }
    }
}
