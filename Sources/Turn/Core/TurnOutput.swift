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

    /// Which port the relay socket takes.
    public enum Port: Sendable, Equatable {
        case any
        /// EVEN-PORT: an even port.
        case even
        /// EVEN-PORT with its R bit: an even port, and the next one held for `token`, on behalf
        /// of user `holder`.
        case evenHoldingNext(token: UInt64, holder: String)
        /// RESERVATION-TOKEN: the port held for `token`; none held is 508.
        case held(token: UInt64)
    }

    public let id: RelayID
    public let family: Family
    public let port: Port
    /// DONT-FRAGMENT: the relay sends with the IP header's DF bit set.
    public let dontFragment: Bool

    public init(id: RelayID, family: Family, port: Port = .any, dontFragment: Bool = false) {
        self.id = id
        self.family = family
        self.port = port
        self.dontFragment = dontFragment
    }
}
