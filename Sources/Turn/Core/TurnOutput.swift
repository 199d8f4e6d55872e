import NIOCore

/// Identifies a relay socket; assigned by the core when it asks for one to be bound.
public typealias RelayID = UInt64

/// What the sans-I/O TURN core asks its I/O shell to do.
public enum TurnOutput: Sendable {
    /// Send to a client over the connection or listener the five-tuple names.
    case toClient(ByteBuffer, FiveTuple)
    /// Send from the relay socket `relay` to `peer`.
    case toPeer(ByteBuffer, relay: RelayID, peer: SocketAddress)
    /// Bind a relay socket, then call `relayBound` or `relayBindFailed` with its id.
    case bindRelay(RelayRequest)
    case closeRelay(RelayID)
}

public struct RelayRequest: Sendable, Equatable {
    public enum Family: Sendable, Equatable { case ipv4, ipv6 }
    public let id: RelayID
    public let family: Family
    /// EVEN-PORT: the relay port must be even.
    public let evenPort: Bool
}
