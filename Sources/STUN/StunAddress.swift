#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore

/// A transport address as STUN carries it: an IPv4 or IPv6 address and a port.
///
/// Invariant: for `.ipv4` only the low 32 bits of the address storage are used. The value is
/// two words, not an array, so decoding XOR-PEER-ADDRESS on every Send indication does not
/// allocate.
public struct StunAddress: Hashable, Sendable {
    /// The address family byte of the address attributes and of REQUESTED-ADDRESS-FAMILY /
    /// ADDITIONAL-ADDRESS-FAMILY (RFC 8489 §14.1, RFC 8656 §18.8).
    public enum Family: UInt8, Hashable, Sendable {
        case ipv4 = 0x01
        case ipv6 = 0x02
    }

    public let family: Family
    public let port: UInt16
    private let upper: UInt64
    private let lower: UInt64

    /// An IPv4 address given as a 32-bit number in host order (192.0.2.1 is 0xC000_0201).
    public init(ipv4: UInt32, port: UInt16) {
        self.family = .ipv4
        self.port = port
        self.upper = 0
        self.lower = UInt64(ipv4)
    }

    /// An IPv6 address given as its two 64-bit halves in host order.
    public init(ipv6Upper: UInt64, lower: UInt64, port: UInt16) {
        self.family = .ipv6
        self.port = port
        self.upper = ipv6Upper
        self.lower = lower
    }

    /// Returns nil unless `ipBytes` holds 4 (IPv4) or 16 (IPv6) bytes in network order.
    public init?(ipBytes: some Collection<UInt8>, port: UInt16) {
        var words: (UInt64, UInt64) = (0, 0)
        switch ipBytes.count {
        case 4:
            for byte in ipBytes { words.1 = words.1 << 8 | UInt64(byte) }
            self.init(ipv4: UInt32(truncatingIfNeeded: words.1), port: port)
        case 16:
            for (index, byte) in ipBytes.enumerated() {
                if index < 8 { words.0 = words.0 << 8 | UInt64(byte) } else { words.1 = words.1 << 8 | UInt64(byte) }
            }
            self.init(ipv6Upper: words.0, lower: words.1, port: port)
        default:
            return nil
        }
    }

    /// Parses a numeric IPv4 or IPv6 address ("192.0.2.1", "2001:db8::1"); nil if it is not one.
    /// Host names are not resolved.
    public init?(ipAddress: String, port: UInt16) {
        guard let socketAddress = try? SocketAddress(ipAddress: ipAddress, port: Int(port)) else { return nil }
        self.init(socketAddress)
    }

    /// Nil for Unix domain socket addresses, which STUN cannot carry.
    public init?(_ socketAddress: SocketAddress) {
        guard let port = socketAddress.port.flatMap({ UInt16(exactly: $0) }) else { return nil }
        switch socketAddress {
        case .v4(let address):
            self.init(ipv4: UInt32(bigEndian: address.address.sin_addr.s_addr), port: port)
        case .v6(let address):
            let bytes = withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
            self.init(ipBytes: bytes, port: port)
        case .unixDomainSocket:
            return nil
        }
    }

    /// The IPv4 address as a 32-bit number in host order; nil for IPv6.
    public var ipv4: UInt32? {
        self.family == .ipv4 ? UInt32(truncatingIfNeeded: self.lower) : nil
    }

    /// The address in network order: 4 bytes for IPv4, 16 for IPv6.
    public var ipBytes: [UInt8] {
        switch self.family {
        case .ipv4:
            return Self.bigEndianBytes(of: self.lower, count: 4)
        case .ipv6:
            return Self.bigEndianBytes(of: self.upper, count: 8) + Self.bigEndianBytes(of: self.lower, count: 8)
        }
    }

    /// The same address as NIO's socket address, ready to send to.
    public var socketAddress: SocketAddress {
        switch self.family {
        case .ipv4:
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = self.port.bigEndian
            address.sin_addr.s_addr = UInt32(truncatingIfNeeded: self.lower).bigEndian
            return SocketAddress(address, host: "")
        case .ipv6:
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = self.port.bigEndian
            let bytes = self.ipBytes
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: bytes) }
            return SocketAddress(address, host: "")
        }
    }

    /// The address without the port: dotted quad for IPv4, RFC 5952 text for IPv6.
    public var ipString: String {
        switch self.family {
        case .ipv4:
            return self.ipBytes.map(String.init).joined(separator: ".")
        case .ipv6:
            return Self.ipv6String(upper: self.upper, lower: self.lower)
        }
    }

    /// Applies the XOR-MAPPED-ADDRESS transform of RFC 8489 §14.2: the port with the top half
    /// of the magic cookie, IPv4 with the cookie, IPv6 with the cookie followed by the
    /// transaction ID. The transform is its own inverse.
    func xored(with transactionID: StunTransactionID) -> StunAddress {
        let port = self.port ^ UInt16(StunMessageHeader.magicCookie >> 16)
        switch self.family {
        case .ipv4:
            return StunAddress(ipv4: UInt32(truncatingIfNeeded: self.lower) ^ StunMessageHeader.magicCookie, port: port)
        case .ipv6:
            let upperMask = UInt64(StunMessageHeader.magicCookie) << 32 | UInt64(transactionID.high)
            let lowerMask = UInt64(transactionID.middle) << 32 | UInt64(transactionID.low)
            return StunAddress(ipv6Upper: self.upper ^ upperMask, lower: self.lower ^ lowerMask, port: port)
        }
    }

    // MARK: Wire format (RFC 8489 §14.1)

    /// Length of the attribute value: reserved byte, family, port, address.
    var wireLength: Int {
        self.family == .ipv4 ? 8 : 20
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(self.family.rawValue)
        buffer.writeInteger(self.port)
        switch self.family {
        case .ipv4:
            buffer.writeInteger(UInt32(truncatingIfNeeded: self.lower))
        case .ipv6:
            buffer.writeInteger(self.upper)
            buffer.writeInteger(self.lower)
        }
    }

    /// Decodes an address attribute value (`value` holds exactly its bytes).
    static func decode(_ value: ByteBuffer, type: StunAttributeType) throws(StunParseError) -> StunAddress {
        let start = value.readerIndex
        guard let familyByte = value.getInteger(at: start + 1, as: UInt8.self),
            let port = value.getInteger(at: start + 2, as: UInt16.self)
        else {
            throw .invalidAttributeValue(type: type, reason: "address value of \(value.readableBytes) bytes is too short")
        }
        switch (Family(rawValue: familyByte), value.readableBytes) {
        case (.ipv4, 8):
            if let ipv4 = value.getInteger(at: start + 4, as: UInt32.self) {
                return StunAddress(ipv4: ipv4, port: port)
            }
        case (.ipv6, 20):
            if let upper = value.getInteger(at: start + 4, as: UInt64.self),
                let lower = value.getInteger(at: start + 12, as: UInt64.self)
            {
                return StunAddress(ipv6Upper: upper, lower: lower, port: port)
            }
        default:
            break
        }
        throw .invalidAttributeValue(
            type: type, reason: "address family 0x\(String(familyByte, radix: 16)) with \(value.readableBytes) value bytes")
    }

    // MARK: Formatting

    private static func bigEndianBytes(of word: UInt64, count: Int) -> [UInt8] {
        (0..<count).map { index in UInt8(truncatingIfNeeded: word >> (8 * UInt64(count - 1 - index))) }
    }

    /// RFC 5952 §4: lowercase, no leading zeros, the longest run (first on a tie) of two or
    /// more zero groups shortened to "::"; §5: IPv4-mapped addresses end in a dotted quad.
    private static func ipv6String(upper: UInt64, lower: UInt64) -> String {
        let groups: [UInt16] = (0..<8).map { index in
            let word = index < 4 ? upper : lower
            return UInt16(truncatingIfNeeded: word >> (16 * UInt64(3 - index % 4)))
        }
        if upper == 0, lower >> 32 == 0xFFFF {
            return "::ffff:" + StunAddress(ipv4: UInt32(truncatingIfNeeded: lower), port: 0).ipString
        }
        var bestStart = -1
        var bestLength = 1
        var runStart = 0
        for index in 0...8 {
            if index < 8, groups[index] == 0 { continue }
            if index - runStart > bestLength {
                bestStart = runStart
                bestLength = index - runStart
            }
            runStart = index + 1
        }
        func text(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return text(0..<8) }
        return text(0..<bestStart) + "::" + text((bestStart + bestLength)..<8)
    }
}

extension StunAddress: CustomStringConvertible {
    /// "192.0.2.1:3478" or "[2001:db8::1]:3478".
    public var description: String {
        switch self.family {
        case .ipv4: return "\(self.ipString):\(self.port)"
        case .ipv6: return "[\(self.ipString)]:\(self.port)"
        }
    }
}
