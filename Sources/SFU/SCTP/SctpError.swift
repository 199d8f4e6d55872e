/// Why an SCTP send or stream operation was refused.
public enum SctpError: Error, Sendable, Hashable, CustomStringConvertible {
    case notConnected
    case messageTooLarge(size: Int, maxMessageSize: Int)
    case invalidStream(UInt16)
    case sendFailed(errno: Int32)

    public var description: String {
        switch self {
        case .notConnected: "SCTP association not connected"
        case .messageTooLarge(let size, let max): "message of \(size) bytes exceeds maxMessageSize \(max)"
        case .invalidStream(let id): "invalid SCTP stream id \(id)"
        case .sendFailed(let errno): "SCTP send failed (errno \(errno))"
        }
    }
}
