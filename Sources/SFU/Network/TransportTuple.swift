import NIOCore

/// One path between a local socket and a remote endpoint: what ICE validates, what the
/// WebRtcServer demultiplexes on, and what `iceSelectedTuple` / `tuple` report.
public struct TransportTuple: Hashable, Sendable, CustomStringConvertible {
    public enum TransportProtocol: String, Hashable, Sendable, Codable {
        case udp
        case tcp

        /// Hashes the case, not the raw string the `RawRepresentable` default would: a tuple is
        /// hashed for every datagram a WebRTC transport sends or a WebRtcServer demultiplexes.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(self == .udp)
        }
    }

    public var localAddress: SocketAddress
    public var remoteAddress: SocketAddress
    public var transportProtocol: TransportProtocol

    public init(localAddress: SocketAddress, remoteAddress: SocketAddress, transportProtocol: TransportProtocol) {
        self.localAddress = localAddress
        self.remoteAddress = remoteAddress
        self.transportProtocol = transportProtocol
    }

    public var description: String {
        "\(transportProtocol.rawValue) \(localAddress) <-> \(remoteAddress)"
    }
}
