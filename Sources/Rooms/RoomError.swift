import SFU

/// Why a room operation was refused, in words a client can act on. Each face maps the kind to
/// its wire (HTTP status, protoo errorReason) in one place.
public enum RoomError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Malformed or missing input (HTTP 400).
    case invalid(String)
    /// The room, participant, transport or producer does not exist (HTTP 404).
    case notFound(String)
    /// The request clashes with the current state: duplicate id, full room, already
    /// connected (HTTP 409).
    case conflict(String)
    /// Well-formed but not supported by the router: codecs, extensions (HTTP 422).
    case unsupported(String)
    /// A capability this server does not offer yet (HTTP 501).
    case notImplemented(String)
    /// The server is draining or cannot take more rooms (HTTP 503).
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalid(let message), .notFound(let message), .conflict(let message), .unsupported(let message),
            .notImplemented(let message), .unavailable(let message):
            message
        }
    }

    /// The engine's refusal in room terms.
    init(_ error: any Error) {
        switch error {
        case let error as RoomError: self = error
        case let error as OrtcError: self = error.isUnsupported ? .unsupported(error.message) : .invalid(error.message)
        case let error as EngineError:
            switch error {
            case .invalidArgument(let message): self = .invalid(message)
            case .notFound(let message): self = .notFound(message)
            case .invalidState(let message): self = .conflict(message)
            case .closed(let what): self = .conflict("\(what) closed")
            }
        case let error as NetworkError: self = .unavailable("\(error)")
        default: self = .unavailable("media engine failure: \(error)")
        }
    }
}
