import Foundation
import NIOCore

/// What the resolver needs to know about the machine, injectable so tests are deterministic.
struct HostFacts: Sendable {
    var coreCount: Int
    var hostName: String
    /// The first non-loopback IPv4 address of an interface that is up, with its interface name.
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
        for device in devices {
            guard let address = device.address, case .v4 = address, let ip = address.ipAddress,
                !ip.hasPrefix("127.")
            else { continue }
            return (ip, device.name)
        }
        return nil
    }
}
