/// How a consumer forwards its producer's stream (mediasoup's `ConsumerType`).
public enum ConsumerType: String, Sendable, Hashable, Codable, CaseIterable {
    case simple
    /// Picks one encoding (and temporal layer) of a simulcast producer at a time.
    case simulcast
    /// Picks spatial and temporal layers out of one SVC stream.
    case svc
    /// Forwards every encoding unchanged to another router over a pipe transport.
    case pipe

    /// Whether the consumer chooses layers, and so switches between sources of one stream.
    var selectsLayers: Bool { self == .simulcast || self == .svc }

    /// `pipe` for pipe consumers, otherwise the producer's type.
    public init(producerType: ProducerType, pipe: Bool) {
        if pipe {
            self = .pipe
            return
        }
        switch producerType {
        case .simple: self = .simple
        case .simulcast: self = .simulcast
        case .svc: self = .svc
        }
    }
}
