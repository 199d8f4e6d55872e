import Metrics

/// Gauges of the engine's objects (exported on `/metrics`). Each counts instances from creation
/// to deallocation, not to `close()`: an object that is closed but still referenced somewhere
/// keeps its gauge up, so a leak shows as a gauge that never returns to 0.
enum EngineMetrics {
    static let routers = Meter(label: "sfu_routers")
    static let transports = Meter(label: "sfu_transports")
    static let producers = Meter(label: "sfu_producers")
    static let consumers = Meter(label: "sfu_consumers")
    static let dataProducers = Meter(label: "sfu_data_producers")
    static let dataConsumers = Meter(label: "sfu_data_consumers")
    /// SCTP messages dropped: on a stream without a data producer, with an unknown payload
    /// protocol, a malformed DCEP message, or over `maxMessageSize`.
    static let droppedSctpMessages = Counter(label: "sfu_sctp_dropped_messages_total")
}
