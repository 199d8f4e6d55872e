/// Which peers a TURN allocation may relay to. Like coturn's hardened defaults, it refuses
/// addresses that would let a client reach the server's own network: loopback, private,
/// link-local, unique-local, multicast, unspecified, and the server's own addresses — unless an
/// operator allows a range explicitly (`--turn-allow-peer`).
public struct PeerAddressPolicy: Sendable {
    public let allowed: [IPNetwork]
    public let serverAddresses: [[UInt8]]

    static let deniedRanges: [IPNetwork] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "fc00::/7", "fe80::/10", "ff00::/8",
    ].compactMap(IPNetwork.init)

    public init(allowed: [IPNetwork], serverAddresses: [[UInt8]]) {
        self.allowed = allowed
        self.serverAddresses = serverAddresses
    }

    public func permits(_ address: [UInt8]) -> Bool {
        if allowed.contains(where: { $0.contains(address) }) { return true }
        if serverAddresses.contains(address) { return false }
        return !Self.deniedRanges.contains { $0.contains(address) }
    }
}
