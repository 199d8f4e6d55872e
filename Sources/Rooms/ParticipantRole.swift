/// Who a participant of a room is: a protoo peer or a REST broadcaster. Each side of the API
/// acts only on participants of its own kind.
public enum ParticipantRole: Sendable, CustomStringConvertible {
    case peer
    case broadcaster

    public var description: String {
        switch self {
        case .peer: "peer"
        case .broadcaster: "broadcaster"
        }
    }
}
