/// Why a packet could not be framed for an ICE-TCP connection.
public enum Rfc4571FramingError: Error, Hashable, Sendable {
    /// RFC 4571's 16-bit LENGTH cannot describe a packet this long; split the data (SCTP
    /// over DTLS does) or send it over UDP.
    case packetTooLong(length: Int, maximum: Int)
}

extension Rfc4571FramingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .packetTooLong(let length, let maximum):
            "packet of \(length) bytes cannot be framed for ICE-TCP: RFC 4571 frames carry at most \(maximum) bytes"
        }
    }
}
