import Foundation
import NIOCore

/// What the resolver needs to know about the machine, injectable so tests are deterministic.
struct HostFacts: Sendable {
    var coreCount: Int
    var hostName: String
    /// The IPv4 address of the interface the default route goes out of (else the first
    /// non-loopback one), with its interface name.
    var primaryAddress: (ip: String, interface: String)?
    var makeSecret: @Sendable () -> String

    static func current() -> HostFacts {
        HostFacts(
            coreCount: System.coreCount,
            hostName: ProcessInfo.processInfo.hostName,
            primaryAddress: detectPrimaryAddress(),
            makeSecret: {
                var generator = SystemRandomNumberGenerator()
                let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
                return Data(bytes).base64EncodedString()
            })
    }

    private static func detectPrimaryAddress() -> (ip: String, interface: String)? {
        guard let devices = try? System.enumerateDevices() else { return nil }
        let candidates: [(ip: String, interface: String)] = devices.compactMap { device in
            guard let address = device.address, case .v4 = address, let ip = address.ipAddress, !ip.hasPrefix("127.")
            else { return nil }
            return (ip, device.name)
        }
        // A bridge or VPN interface (docker0, virbr0, tun0) may come first; the default route's
        // interface is the one the world reaches.
        if let interface = defaultRouteInterface(), let match = candidates.first(where: { $0.interface == interface }) {
            return match
        }
        return candidates.first
    }

    /// The interface of the IPv4 default route, from /proc/net/route (Linux).
    private static func defaultRouteInterface() -> String? {
        guard let table = try? String(contentsOfFile: "/proc/net/route", encoding: .utf8) else { return nil }
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count > 2, fields[1] == "00000000" { return String(fields[0]) }
        }
        return nil
    }
}
