import NIOCore

/// A peer's IP address as two words, so the relay path checks permissions without allocating.
/// IPv4 addresses are stored IPv4-mapped (`::ffff:a.b.c.d`).
struct PeerIP: Hashable {
    let high: UInt64
    let low: UInt64

    init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            high = 0
            low = 0xFFFF_0000_0000 | UInt64(UInt32(bigEndian: v4.address.sin_addr.s_addr))
        case .v6(let v6):
            (high, low) = withUnsafeBytes(of: v6.address.sin6_addr) { raw in
                (UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
        case .unixDomainSocket:
            return nil
        }
    }
}
