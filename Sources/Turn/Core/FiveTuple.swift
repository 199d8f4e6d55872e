import NIOCore

/// No raw value: a `String`-backed enum hashes and compares its raw string, and a five-tuple is
/// hashed for every ChannelData message.
public enum TurnTransport: Hashable, Sendable, CustomStringConvertible {
    case udp, tcp, tls

    public var description: String {
        switch self {
        case .udp: "udp"
        case .tcp: "tcp"
        case .tls: "tls"
        }
    }

    /// ChannelData is padded to 4 bytes on stream transports (RFC 8656 §12.5).
    var isStream: Bool { self != .udp }
}

/// What identifies an allocation (RFC 8656 §2): the client's address, the server address it
/// reached, and the transport between them.
public struct FiveTuple: Hashable, Sendable, CustomStringConvertible {
    public var client: SocketAddress
    public var server: SocketAddress
    public var transport: TurnTransport

    public init(client: SocketAddress, server: SocketAddress, transport: TurnTransport) {
        self.client = client
        self.server = server
        self.transport = transport
    }

    public var description: String { "\(transport) \(client) -> \(server)" }
}
