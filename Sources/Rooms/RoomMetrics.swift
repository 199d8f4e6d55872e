import Metrics

/// Gauges of the application layer (exported on `/metrics`), counted from creation to
/// deallocation like the engine's (see `EngineMetrics`): peers counts protoo peers and REST
/// broadcasters alike.
enum RoomMetrics {
    static let rooms = Meter(label: "sfu_rooms")
    static let peers = Meter(label: "sfu_peers")
}
