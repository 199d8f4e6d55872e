/// The trace events a transport can be asked to emit (mediasoup's `enableTraceEvent`).
public enum TransportTraceEventType: String, Sendable, Hashable, Codable, CaseIterable {
    /// The outgoing bandwidth estimate: ``TransportEvent/outgoingBandwidth(_:)``.
    case bwe
}
