import Foundation
import NIOCore

/// A transport's outgoing bandwidth state: the estimate, the probe being sent, and when the
/// estimate was last shared among the consumers and reported.
///
/// A class touched only on the transport's loop: the per-packet numbering then reaches the
/// estimate through one reference, without copying or checking access to the transport's state.
final class OutgoingBandwidth {
    /// Reports (and sharing among consumers) come at least this often...
    static let reportInterval = TimeAmount.seconds(1)
    /// ...and at once when the estimate falls below this share of the last one reported...
    static let dropShare = 0.75
    /// ...or rises above this share.
    static let riseShare = 1.5
    /// The effective desired bitrate falls by this share a second.
    static let desiredDecayPerSecond = 0.95
    /// A probe cluster's padding goes out in slots this far apart.
    static let probeSlot = TimeAmount.milliseconds(5)
    /// A receiver that has sent no feedback this long after the first packet does not do
    /// transport-cc (a plain RTP tool that copied the router's capabilities): the estimate stops
    /// rather than hold its consumers at the initial bitrate for ever.
    static let feedbackTimeout = TimeAmount.seconds(5)

    @exclusivity(unchecked) var estimator = SendSideBandwidthEstimator()
    var probe: (cluster: ProbeCluster, start: NIODeadline, sentBytes: Int)?
    var probeTask: RepeatedTask?
    /// When the first packet was numbered.
    var firstPacketTime: NIODeadline?
    private var lastReport: (time: NIODeadline, availableBitrate: Int)?
    /// What the consumers wanted at the last report: probes go up to it.
    private(set) var desiredBitrate = 0
    private var effectiveDesired: (time: NIODeadline, bitrate: Double)?
    private(set) var probationBytesSent = 0
    private var probationRate = RateCalculator()

    func probationSent(bytes: Int, now: NIODeadline) {
        probationBytesSent += bytes
        probationRate.update(bytes: bytes, now: now)
    }

    func probationBitrate(now: NIODeadline) -> UInt32 { probationRate.rate(now: now) }

    /// Whether the receiver has shown, by its silence, that it sends no feedback.
    func receiverIsSilent(now: NIODeadline) -> Bool {
        guard !estimator.hasFeedback, let firstPacketTime else { return false }
        return now - firstPacketTime > Self.feedbackTimeout
    }

    /// Whether the estimate is due to be shared and reported now.
    func reportDue(now: NIODeadline) -> Bool {
        guard let lastReport else { return true }
        if now - lastReport.time >= Self.reportInterval { return true }
        let available = Double(estimator.availableBitrate)
        let last = Double(lastReport.availableBitrate)
        return available < last * Self.dropShare || available > last * Self.riseShare
    }

    /// Notes a report of `desiredBitrate` and returns its trace.
    func report(desiredBitrate: Int, now: NIODeadline) -> OutgoingBandwidthTrace {
        let available = estimator.availableBitrate
        lastReport = (now, available)
        self.desiredBitrate = desiredBitrate
        var effective = Double(desiredBitrate)
        if let previous = effectiveDesired {
            let seconds = Double((now - previous.time).nanoseconds) / 1e9
            effective = max(effective, previous.bitrate * pow(Self.desiredDecayPerSecond, seconds))
        }
        effectiveDesired = (now, effective)
        return OutgoingBandwidthTrace(
            desiredBitrate: desiredBitrate, effectiveDesiredBitrate: Int(exactly: effective.rounded()) ?? .max,
            availableBitrate: available)
    }
}
