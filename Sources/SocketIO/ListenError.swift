import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A listener that could not be opened, told with what it is for and where, so that "address
/// already in use" says which port (and so which setting, or which other server holds it).
public struct ListenError: Error, CustomStringConvertible {
    /// What listens, with the setting that names its port: "TURN (SFU_TURN_PORT)".
    public let purpose: String
    /// `ip:port` and the transports, as "0.0.0.0:3478 udp+tcp".
    public let endpoint: String
    public let underlying: any Error

    /// `transports` as "udp+tcp".
    public init(purpose: String, host: String, port: Int, transports: String, underlying: any Error) {
        self.purpose = purpose
        self.endpoint = "\(host.contains(":") ? "[\(host)]" : host):\(port) \(transports)"
        self.underlying = underlying
    }

    public var description: String {
        let reason = (underlying as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(underlying)"
        return "cannot listen for \(purpose) on \(endpoint): \(reason)"
    }
}
