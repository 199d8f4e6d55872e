/// A transport's estimate of the bitrate it can send to its remote endpoint, from the
/// transport-cc feedback the endpoint returns for what it received (Google congestion control,
/// as mediasoup runs it for consumers): the delay trend of packet groups drives an AIMD rate,
/// loss above 10% cuts it, and probe clusters find out whether more is available.
///
/// Sans-I/O: the transport numbers each packet it sends here, passes feedback in, and asks for
/// probes to send. Bitrates in bits per second, times in microseconds on a monotonic clock
/// (arrival times in feedback are on the receiver's clock, and only their differences count).
struct SendSideBandwidthEstimator {
    /// mediasoup's lowest outgoing bitrate, and its default initial estimate.
    static let minimumBitrate = 30_000
    static let defaultInitialBitrate = 600_000
    /// The cap when none is set.
    static let unlimitedBitrate = 1_000_000_000

    private var history = SentPacketHistory()
    private var groups = PacketGroupDeltas()
    private var trendline = TrendlineEstimator()
    private var rateControl: AimdRateControl
    private var acknowledged = AcknowledgedBitrate()
    private var lossLimit = LossBasedLimit()
    private var probeResults = ProbeResultEstimator()
    private var probes = ProbeController()

    init() {
        rateControl = AimdRateControl(
            initialBitrate: Double(Self.defaultInitialBitrate), minBitrate: Double(Self.minimumBitrate),
            maxBitrate: Double(Self.unlimitedBitrate))
    }

    /// What the transport may send now.
    var availableBitrate: Int {
        let bitrate = min(rateControl.bitrate, rateControl.maxBitrate, lossLimit.limit ?? .infinity)
        // Feedback is the peer's to make up: whatever it says, the figure stays a bitrate.
        guard bitrate.isFinite else { return Self.minimumBitrate }
        return Int(max(bitrate, Double(Self.minimumBitrate)))
    }

    /// Whether any feedback described a packet sent.
    private(set) var hasFeedback = false

    /// Caps the estimate (mediasoup's `setMaxOutgoingBitrate`); 0 is no cap.
    mutating func setMaxBitrate(_ bitrate: Int) {
        rateControl.maxBitrate = Double(bitrate == 0 ? Self.unlimitedBitrate : bitrate)
    }

    /// Numbers a packet about to be sent (`size` in bytes, as on the wire before SRTP) and
    /// returns its transport-wide sequence number.
    mutating func packetSent(size: Int, probeClusterId: Int? = nil, now: Int64) -> UInt16 {
        if let probeClusterId { probeResults.packetSent(clusterId: probeClusterId) }
        return history.add(size: size, sendTime: now, probeClusterId: probeClusterId)
    }

    /// Takes one transport-cc feedback from the endpoint.
    mutating func receiveFeedback(_ feedback: TransportWideCcFeedback, now: Int64) {
        let packets = history.match(feedback.packetResults)
        guard !packets.isEmpty else { return }
        hasFeedback = true
        var probeBitrate: Double?
        var lost = 0
        for packet in packets {
            if let result = probeResults.add(packet) {
                probes.probeMeasured(clusterId: result.clusterId, bitrate: result.bitrate)
                probeBitrate = max(probeBitrate ?? 0, result.bitrate)
            }
            guard let arrivalTime = packet.arrivalTime else {
                lost += 1
                continue
            }
            acknowledged.add(arrivalTime: arrivalTime, size: packet.size)
            if let delta = groups.add(sendTime: packet.sendTime, arrivalTime: arrivalTime) {
                trendline.update(delta)
            }
        }
        if let probeBitrate, trendline.usage != .overusing {
            if probeBitrate > rateControl.bitrate { rateControl.setEstimate(probeBitrate, now: now) }
            lossLimit.probeMeasured(probeBitrate)
        }
        rateControl.update(usage: trendline.usage, throughput: acknowledged.bitrate, now: now)
        lossLimit.update(expected: packets.count, lost: lost, delayBasedBitrate: rateControl.bitrate, now: now)
    }

    /// A probe cluster to send now, if the consumers want more (`desiredBitrate`) than is
    /// available and a probe is due.
    mutating func probe(desiredBitrate: Int, now: Int64) -> ProbeCluster? {
        let cluster = probes.probe(
            available: Double(availableBitrate), desired: Double(desiredBitrate), maxBitrate: rateControl.maxBitrate,
            now: now)
        if let cluster { probeResults.forgetClusters(olderThan: cluster.id) }
        return cluster
    }
}
