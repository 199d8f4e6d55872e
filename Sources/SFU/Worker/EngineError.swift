/// Why a media-engine call was refused. Faces map these to HTTP status codes and protoo error
/// reasons; ``OrtcError`` covers parameter problems.
public enum EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The object (or one it belongs to) is closed.
    case closed(String)
    /// A request that does not fit the object's state ("connect() already called").
    case invalidState(String)
    /// Bad arguments, said in words a client can act on.
    case invalidArgument(String)
    /// An id that names nothing ("Producer with id \"…\" not found").
    case notFound(String)

    public var description: String {
        switch self {
        case .closed(let what): return "\(what) closed"
        case .invalidState(let message), .invalidArgument(let message), .notFound(let message): return message
        }
    }
}
