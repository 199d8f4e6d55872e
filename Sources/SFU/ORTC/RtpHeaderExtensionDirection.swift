/// Which way the router uses a header extension. Only meaningful in the router's own
/// capabilities (`recvonly`: the router reads it from producers but never writes it towards
/// consumers); endpoints' values are ignored.
public enum RtpHeaderExtensionDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case sendrecv
    case sendonly
    case recvonly
    case inactive

    /// True when consumers may carry the extension.
    var allowsSending: Bool { self == .sendrecv || self == .sendonly }
}
