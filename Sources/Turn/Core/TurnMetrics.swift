import Metrics

/// The TURN server's metrics (exported on `/metrics`). Per-packet counts are accumulated by
/// each core and added here once per tick, so the relay path does no atomic work per packet.
public struct TurnMetrics: Sendable {
    public enum DropReason: String, Sendable, CaseIterable {
        /// Not STUN or ChannelData, or a STUN message that did not decode.
        case malformed
        /// ChannelData, Send indication or refresh for a five-tuple with no allocation.
        case noAllocation = "no_allocation"
        /// Data to or from a peer without a permission, or on an unbound channel.
        case noPermission = "no_permission"
        /// From an address blocked after repeated authentication failures.
        case rateLimited = "rate_limited"
        /// Beyond an allocation's bandwidth cap (`maxBytesPerSecond`).
        case bandwidthLimit = "bandwidth_limit"
    }

    let allocations = Meter(label: "turn_allocations")
    let allocationsCreated = Counter(label: "turn_allocations_total")
    let permissions = Meter(label: "turn_permissions")
    let channels = Meter(label: "turn_channels")
    let packetsToPeers = Counter(label: "turn_relayed_packets_total", dimensions: [("direction", "client_to_peer")])
    let packetsToClients = Counter(label: "turn_relayed_packets_total", dimensions: [("direction", "peer_to_client")])
    let bytesToPeers = Counter(label: "turn_relayed_bytes_total", dimensions: [("direction", "client_to_peer")])
    let bytesToClients = Counter(label: "turn_relayed_bytes_total", dimensions: [("direction", "peer_to_client")])
    let authenticationFailures = Counter(label: "turn_auth_failures_total")
    let quotaRejections = Counter(label: "turn_quota_rejections_total")
    let drops: [DropReason: Counter] = Dictionary(
        uniqueKeysWithValues: DropReason.allCases.map {
            ($0, Counter(label: "turn_dropped_packets_total", dimensions: [("reason", $0.rawValue)]))
        })

    public init() {}
}

/// Counts accumulated between two ticks of one core.
struct TurnTrafficCounts {
    var packetsToPeers = 0
    var packetsToClients = 0
    var bytesToPeers = 0
    var bytesToClients = 0
    var drops: [TurnMetrics.DropReason: Int] = [:]

    mutating func flush(into metrics: TurnMetrics) {
        if packetsToPeers > 0 { metrics.packetsToPeers.increment(by: Int64(packetsToPeers)) }
        if packetsToClients > 0 { metrics.packetsToClients.increment(by: Int64(packetsToClients)) }
        if bytesToPeers > 0 { metrics.bytesToPeers.increment(by: Int64(bytesToPeers)) }
        if bytesToClients > 0 { metrics.bytesToClients.increment(by: Int64(bytesToClients)) }
        for (reason, count) in drops where count > 0 {
            metrics.drops[reason]?.increment(by: Int64(count))
        }
        self = TurnTrafficCounts()
    }
}
