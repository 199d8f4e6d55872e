/// When to probe the path and at what bitrate (after libwebrtc's ProbeController): only while
/// the consumers want more than the estimate allows; first at three times the estimate, then
/// doubling while probes succeed, then again every few seconds at twice the estimate.
///
/// Bitrates in bits per second, times in microseconds.
struct ProbeController {
    static let initialMultiplier = 3.0
    static let followUpMultiplier = 2.0
    /// A probe that measured at least this share of its bitrate is followed by a higher one.
    static let followUpShare = 0.7
    static let periodicInterval: Int64 = 5_000_000
    /// A probe without a result after this long is given up.
    static let resultTimeout: Int64 = 1_000_000

    private var probedOnce = false
    private var pending: (cluster: ProbeCluster, startTime: Int64)?
    private var followUp: Double?
    private var lastProbeTime: Int64?
    private var nextClusterId = 1

    /// The cluster to send now, if a probe is due; `maxBitrate` caps it.
    mutating func probe(available: Double, desired: Double, maxBitrate: Double, now: Int64) -> ProbeCluster? {
        if let pending {
            guard now - pending.startTime >= Self.resultTimeout else { return nil }
            self.pending = nil
            followUp = nil
        }
        guard desired > available * 1.05 else {
            followUp = nil
            return nil
        }
        var target: Double?
        if !probedOnce {
            target = available * Self.initialMultiplier
        } else if let followUp {
            target = followUp
        } else if now - (lastProbeTime ?? .min) >= Self.periodicInterval {
            target = available * Self.followUpMultiplier
        }
        followUp = nil
        // Probing far beyond what the consumers want would only congest the path.
        guard let target, case let bitrate = min(target, desired * Self.followUpMultiplier, maxBitrate),
            bitrate > available * 1.05
        else { return nil }
        probedOnce = true
        lastProbeTime = now
        let cluster = ProbeCluster(id: nextClusterId, bitrate: bitrate)
        // Numbers fit the 16 bits the sent packet history keeps them in; 0 means no probe.
        nextClusterId = nextClusterId == Int(UInt16.max) ? 1 : nextClusterId + 1
        pending = (cluster, now)
        return cluster
    }

    /// A cluster's result came in.
    mutating func probeMeasured(clusterId: Int, bitrate: Double) {
        guard let pending, pending.cluster.id == clusterId else { return }
        self.pending = nil
        if bitrate >= Self.followUpShare * pending.cluster.bitrate { followUp = bitrate * Self.followUpMultiplier }
    }
}
