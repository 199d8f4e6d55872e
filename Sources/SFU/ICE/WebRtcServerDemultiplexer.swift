import NIOCore
import STUN

/// The routing table of a WebRtcServer, where many WebRTC transports share one UDP port or
/// TCP listener (mediasoup's `mapLocalIceUsernameFragmentWebRtcTransport` and
/// `mapTupleWebRtcTransport`, spec §4.13).
///
/// A packet from a tuple some transport validated goes to that transport. A STUN packet from
/// an unknown tuple goes to the transport whose local ICE fragment starts its USERNAME: that
/// is how a first check finds its transport. Anything else from an unknown tuple (DTLS, RTP,
/// RTCP before ICE, or a fragment nobody owns) has no route; the caller drops and counts it.
///
/// Transports are named by a `TransportID` the caller chooses (mediasoup's transport id, an
/// `ObjectIdentifier`…) instead of being held as objects: the table stays a `Sendable` value,
/// never keeps a closed transport alive and never holds a dangling reference. Feed it every
/// ``IceServerEvent`` of each transport through ``apply(_:from:)`` and it stays exact; a
/// transport's ``IceServer/close()`` emits the removals that clear its entries.
///
/// Removals name the transport and only remove an entry that transport owns, so a late event
/// from one transport never unroutes another's.
public struct WebRtcServerDemultiplexer<TransportID: Hashable & Sendable>: Sendable {
    /// Local ICE username fragment → transport (mediasoup dump: `localIceUsernameFragments`).
    public private(set) var localUsernameFragments: [String: TransportID] = [:]
    /// Validated tuple → transport (mediasoup dump: `tupleHashes`).
    public private(set) var tuples: [TransportTuple: TransportID] = [:]

    public init() {}

    /// The transport `packet`, received on `tuple`, belongs to; nil when it has none.
    public func route(_ packet: ByteBuffer, tuple: TransportTuple) -> TransportID? {
        if let transport = tuples[tuple] {
            return transport
        }
        guard PacketClassifier.classify(packet) == .stun,
            let message = try? StunMessage(decoding: packet),
            let username = message.username
        else { return nil }
        return localUsernameFragments[String(IceUsernameFragment.local(fromStunUsername: username))]
    }

    /// Updates the table from an event `transport`'s ``IceServer`` emitted; events that do
    /// not change routing are ignored.
    public mutating func apply(_ event: IceServerEvent, from transport: TransportID) {
        switch event {
        case .localUsernameFragmentAdded(let usernameFragment):
            addLocalUsernameFragment(usernameFragment, for: transport)
        case .localUsernameFragmentRemoved(let usernameFragment):
            removeLocalUsernameFragment(usernameFragment, for: transport)
        case .tupleAdded(let tuple):
            addTuple(tuple, for: transport)
        case .tupleRemoved(let tuple):
            removeTuple(tuple, for: transport)
        case .stateChanged, .selectedTupleChanged:
            break
        }
    }

    /// Routes STUN carrying `usernameFragment` to `transport`. Returns false, changing
    /// nothing, if another transport owns the fragment; with 32 random characters
    /// (``IceParameters/random()``) that does not happen by chance.
    @discardableResult
    public mutating func addLocalUsernameFragment(_ usernameFragment: String, for transport: TransportID) -> Bool {
        Self.insert(usernameFragment, for: transport, into: &localUsernameFragments)
    }

    public mutating func removeLocalUsernameFragment(_ usernameFragment: String, for transport: TransportID) {
        Self.remove(usernameFragment, for: transport, from: &localUsernameFragments)
    }

    /// Routes everything from `tuple` to `transport`. Returns false, changing nothing, if
    /// another transport already validated the tuple (mediasoup keeps the first one too).
    @discardableResult
    public mutating func addTuple(_ tuple: TransportTuple, for transport: TransportID) -> Bool {
        Self.insert(tuple, for: transport, into: &tuples)
    }

    public mutating func removeTuple(_ tuple: TransportTuple, for transport: TransportID) {
        Self.remove(tuple, for: transport, from: &tuples)
    }

    /// Removes every entry of `transport`, for owners that tear a transport down without
    /// draining its events.
    public mutating func removeTransport(_ transport: TransportID) {
        localUsernameFragments = localUsernameFragments.filter { $0.value != transport }
        tuples = tuples.filter { $0.value != transport }
    }

    private static func insert<Key: Hashable>(
        _ key: Key, for transport: TransportID, into table: inout [Key: TransportID]
    ) -> Bool {
        if let owner = table[key] {
            return owner == transport
        }
        table[key] = transport
        return true
    }

    private static func remove<Key: Hashable>(
        _ key: Key, for transport: TransportID, from table: inout [Key: TransportID]
    ) {
        if table[key] == transport {
            table[key] = nil
        }
    }
}
