import NIOCore

/// An IPv4 or IPv6 prefix such as `127.0.0.0/8` or `fe80::/10`; a bare address is a /32 or /128.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// Address bytes (4 or 16), already masked to the prefix.
    public let bytes: [UInt8]
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPNetwork.addressBytes(String(parts[0])) else {
            return nil
        }
        let maximum = address.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : maximum
        guard let prefix, (0...maximum).contains(prefix) else { return nil }
        self.init(bytes: address, prefixLength: prefix)
    }

    init(bytes: [UInt8], prefixLength: Int) {
        self.prefixLength = prefixLength
        self.bytes = bytes.enumerated().map { index, byte in
            let bitsKept = max(0, min(8, prefixLength - index * 8))
            return bitsKept == 8 ? byte : byte & ~(UInt8(0xFF) >> bitsKept)
        }
    }

    /// Whether `address` (4 or 16 bytes) lies in this network; families never match each other.
    public func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefixLength
        for index in bytes.indices where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(UInt8(0xFF) >> remaining)
            guard address[index] & mask == bytes[index] else { return false }
            remaining -= 8
        }
        return true
    }

    public var description: String {
        let address = (try? SocketAddress(packedIPAddress: ByteBuffer(bytes: bytes), port: 0))?.ipAddress ?? "?"
        return "\(address)/\(prefixLength)"
    }

    /// The network-order bytes (4 or 16) of an IP address in text form.
    public static func addressBytes(_ text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        return address.ipBytes
    }
}

extension SocketAddress {
    /// The raw network-order bytes of an IPv4 (4) or IPv6 (16) address.
    var ipBytes: [UInt8]? {
        switch self {
        case .v4(let address): return withUnsafeBytes(of: address.address.sin_addr) { Array($0) }
        case .v6(let address): return withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
        case .unixDomainSocket: return nil
        }
    }
}
