import NIOCore

/// The host's own addresses a wildcard listen address stands for: every address of its
/// interfaces in that family (IPv6 link-local ones aside, which need a scope), which coturn binds
/// one by one.
enum ListenAddresses {
    static func isWildcard(_ ip: String) -> Bool { ip == "0.0.0.0" || ip == "::" }

    /// The addresses among `interfaceAddresses` that `wildcard` (`0.0.0.0` or `::`) stands for,
    /// each once.
    static func standingFor(_ wildcard: String, interfaceAddresses: [SocketAddress]) -> [String] {
        let family: NIOBSDSocket.ProtocolFamily = wildcard == "::" ? .inet6 : .inet
        var seen = Set<String>()
        return interfaceAddresses.filter { $0.protocol == family }.compactMap(\.ipAddress)
            .filter { !$0.lowercased().hasPrefix("fe80:") && seen.insert($0).inserted }
    }

    /// The addresses of the host's interfaces.
    static func ofHost() -> [SocketAddress] {
        ((try? System.enumerateDevices()) ?? []).compactMap(\.address)
    }
}
