import NIOCore

/// The host's own addresses a wildcard listen address stands for: every address of its
/// interfaces in that family (IPv6 link-local ones aside, which need a scope), which coturn binds
/// one by one.
enum ListenAddresses {
    static func isWildcard(_ ip: String) -> Bool { ip == "0.0.0.0" || ip == "::" }

    static func expanding(_ ips: [String], interfaceAddresses: [SocketAddress]) -> [String] {
        var expanded: [String] = []
        for ip in ips {
            let family: NIOBSDSocket.ProtocolFamily?
            switch ip {
            case "0.0.0.0": family = .inet
            case "::": family = .inet6
            default: family = nil
            }
            guard let family else {
                expanded.append(ip)
                continue
            }
            let addresses = interfaceAddresses.filter { $0.protocol == family }.compactMap(\.ipAddress)
                .filter { !$0.lowercased().hasPrefix("fe80:") }
            // Without a usable interface address the wildcard itself stands.
            expanded += addresses.isEmpty ? [ip] : addresses
        }
        var seen = Set<String>()
        return expanded.filter { seen.insert($0).inserted }
    }

    /// The addresses of the host's interfaces.
    static func ofHost() -> [SocketAddress] {
        ((try? System.enumerateDevices()) ?? []).compactMap(\.address)
    }
}
