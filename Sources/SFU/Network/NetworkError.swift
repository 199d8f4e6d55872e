/// Why a media socket could not be opened.
public enum NetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    case noFreePort(PortRange)
    case invalidListenAddress(String)

    public var description: String {
        switch self {
        case .noFreePort(let range): return "no free port in range \(range)"
        case .invalidListenAddress(let ip): return "invalid listen IP address '\(ip)'"
        }
    }
}
