/// Why a request the server sent to a peer got no success response.
public enum ProtooRequestFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The peer answered with an error response.
    case rejected(ProtooError)
    /// No response within the request timeout (protoo: "request timeout").
    case timeout
    /// The connection closed before the response came (protoo: "peer closed").
    case peerClosed

    public var description: String {
        switch self {
        case .rejected(let error): "request rejected: \(error)"
        case .timeout: "request timeout"
        case .peerClosed: "peer closed"
        }
    }
}
