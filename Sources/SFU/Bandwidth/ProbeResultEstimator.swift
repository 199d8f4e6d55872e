/// What a probe cluster (a short burst of padding sent at a chosen bitrate) measured: the rate
/// it was sent at and the rate it arrived at; the lower of the two is what the path carries
/// (libwebrtc's ProbeBitrateEstimator).
struct ProbeResultEstimator {
    /// Received packets a cluster needs before it says anything.
    static let minimumPackets = 5
    /// Share of a cluster's packets that must be described by feedback.
    static let minimumReportedShare = 0.8
    /// A cluster arriving faster than twice its send rate measured nothing real.
    static let maximumReceiveToSendRatio = 2.0
    /// Arriving slower than this share of its send rate means the path was saturated...
    static let saturationRatio = 0.9
    /// ...and then slightly less than the arrival rate is taken.
    static let saturatedUtilization = 0.95

    private struct Cluster {
        var sent = 0
        var reported = 0
        var received: [(sendTime: Int64, arrivalTime: Int64, size: Int)] = []
    }

    private var clusters: [Int: Cluster] = [:]

    mutating func packetSent(clusterId: Int) {
        clusters[clusterId, default: Cluster()].sent += 1
    }

    /// Counts one packet's feedback; the cluster's measured bitrate (bits per second) once enough
    /// of it is described. A cluster gives one result, then is forgotten.
    mutating func add(_ packet: PacketFeedback) -> (clusterId: Int, bitrate: Double)? {
        guard let id = packet.probeClusterId, var cluster = clusters[id] else { return nil }
        cluster.reported += 1
        if let arrivalTime = packet.arrivalTime {
            cluster.received.append((packet.sendTime, arrivalTime, packet.size))
        }
        clusters[id] = cluster
        guard cluster.sent > 0, Double(cluster.reported) >= Self.minimumReportedShare * Double(cluster.sent),
            cluster.received.count >= Self.minimumPackets
        else { return nil }
        clusters[id] = nil
        return Self.bitrate(of: cluster.received).map { (id, $0) }
    }

    /// Forgets every cluster but `clusterId` and the two before it: the feedback of older ones
    /// never came in full.
    mutating func forgetClusters(olderThan clusterId: Int) {
        clusters = clusters.filter { clusterId - 2...clusterId ~= $0.key }
    }

    private static func bitrate(of packets: [(sendTime: Int64, arrivalTime: Int64, size: Int)]) -> Double? {
        let bySend = packets.sorted { $0.sendTime < $1.sendTime }
        let byArrival = packets.sorted { $0.arrivalTime < $1.arrivalTime }
        let bytes = packets.reduce(0) { $0 + $1.size }
        let sendInterval = bySend.last!.sendTime - bySend.first!.sendTime
        let receiveInterval = byArrival.last!.arrivalTime - byArrival.first!.arrivalTime
        guard sendInterval > 0, receiveInterval > 0, sendInterval <= 1_000_000, receiveInterval <= 1_000_000 else { return nil }
        // The last packet sent and the first to arrive bound the intervals; their bytes are
        // outside them.
        let sendRate = Double((bytes - bySend.last!.size) * 8) * 1_000_000 / Double(sendInterval)
        let receiveRate = Double((bytes - byArrival.first!.size) * 8) * 1_000_000 / Double(receiveInterval)
        guard receiveRate <= Self.maximumReceiveToSendRatio * sendRate else { return nil }
        if receiveRate < Self.saturationRatio * sendRate { return Self.saturatedUtilization * receiveRate }
        return min(sendRate, receiveRate)
    }
}
