/// Which peers a TURN allocation may relay to. Like coturn's hardened defaults, it refuses
/// addresses that would let a client reach the server's own network: loopback, private,
/// link-local, unique-local, multicast, unspecified, and the server's own addresses — unless an
/// operator allows a range explicitly (`--turn-allow-peer`). An SFU beside the server is allowed
/// at its media ports only (``mediaEndpoints``): whatever else listens on its address stays out
/// of reach.
public struct PeerAddressPolicy: Sendable {
    /// Ports of one address a client may relay to.
    public struct Endpoint: Sendable {
        public let address: [UInt8]
        public let ports: [ClosedRange<Int>]

        public init(address: [UInt8], ports: [ClosedRange<Int>]) {
            self.address = address
            self.ports = ports
        }
    }

    public let allowed: [IPNetwork]
    public let serverAddresses: [[UInt8]]
    public let mediaEndpoints: [Endpoint]

    static let deniedRanges: [IPNetwork] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "fc00::/7", "fe80::/10", "ff00::/8",
    ].compactMap(IPNetwork.init)

    /// Whether `address` is one no client outside its own network can reach (private, loopback,
    /// link-local, shared CGNAT space and the like).
    public static func isInternal(_ address: [UInt8]) -> Bool {
        deniedRanges.contains { $0.contains(address) }
    }

    public init(allowed: [IPNetwork], serverAddresses: [[UInt8]], mediaEndpoints: [Endpoint] = []) {
        self.allowed = allowed
        self.serverAddresses = serverAddresses
        self.mediaEndpoints = mediaEndpoints
    }

    /// Whether a permission for `address` may be installed: some port of it may be reached.
    public func permits(_ address: [UInt8]) -> Bool {
        if mediaEndpoints.contains(where: { $0.address == address }) { return true }
        return permitsEveryPort(of: address)
    }

    /// Whether data may go to `port` of `address`.
    public func permits(_ address: [UInt8], port: Int) -> Bool {
        if permitsEveryPort(of: address) { return true }
        return mediaEndpoints.contains { $0.address == address && $0.ports.contains { $0.contains(port) } }
    }

    /// Whether some address is reachable at some ports only, which sending must then check.
    public var restrictsPorts: Bool { !mediaEndpoints.isEmpty }

    private func permitsEveryPort(of address: [UInt8]) -> Bool {
        if allowed.contains(where: { $0.contains(address) }) { return true }
        if serverAddresses.contains(address) { return false }
        return !Self.isInternal(address)
    }
}
