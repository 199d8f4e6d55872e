import NIOCore
import SocketIO

#if canImport(Glibc)
    import Glibc
#endif

/// Binds TURN relay sockets on a random free port of the configured range: an even port when
/// the request asks for one (holding the next one too when it asks for that), the port held
/// for a reservation token when it presents one, another port while the one picked is taken.
struct RelaySocketBinder: Sendable {
    enum BindError: Error {
        case noFreePort(ClosedRange<Int>)
        case familyUnavailable
        case noHeldPort
        /// The user, or the server, holds as many ports for later as it may.
        case tooManyHeldPorts
    }

    let relayIP: String
    let ports: ClosedRange<Int>
    let reservations: RelayPortReservations
    var attempts = 32

    /// A relay socket for `request` on `loop`, the loop of a UDP client. Must be called on `loop`.
    func bind(_ request: RelayRequest, on loop: SocketEventLoop) throws -> DatagramLoopSocket {
        try DatagramLoopSocket.adopt(descriptor: try openDescriptor(for: request), host: relayIP, on: loop)
    }

    /// A relay socket for `request` on `eventLoop`, the NIO loop of a TCP or TLS client.
    func bind(_ request: RelayRequest, on eventLoop: any EventLoop) async throws -> UdpSocket {
        try await UdpSocket.adopt(
            descriptor: try openDescriptor(for: request), host: relayIP, on: eventLoop,
            options: UdpSocket.Options(vectorReadCount: 8, receiveBufferSize: nil))
    }

    /// A bound socket for `request`, not yet read by any loop.
    private func openDescriptor(for request: RelayRequest) throws -> CInt {
        guard (request.family == .ipv6) == relayIP.contains(":") else { throw BindError.familyUnavailable }
        let descriptor: CInt
        switch request.port {
        case .any:
            descriptor = try openFreePort { Int.random(in: ports) }
        case .even:
            descriptor = try openFreePort { randomEvenPort(leavingRoomForNext: false) }
        case .evenHoldingNext(let token, let holder):
            descriptor = try openEvenPortHoldingNext(for: token, holder: holder)
        case .held(let token):
            guard let held = reservations.take(token, now: Int(time(nil))) else { throw BindError.noHeldPort }
            descriptor = held
        }
        if request.dontFragment { Self.setDontFragment(descriptor, ipv6: request.family == .ipv6) }
        return descriptor
    }

    private func openFreePort(choosePort: () -> Int) throws -> CInt {
        for _ in 0..<attempts {
            if let descriptor = try openIfFree(port: choosePort()) { return descriptor }
        }
        throw BindError.noFreePort(ports)
    }

    /// An even port P and P + 1 both free: P is answered, P + 1 held for `token`.
    private func openEvenPortHoldingNext(for token: UInt64, holder: String) throws -> CInt {
        for _ in 0..<attempts {
            let port = randomEvenPort(leavingRoomForNext: true)
            guard let descriptor = try openIfFree(port: port) else { continue }
            do {
                guard let next = try openIfFree(port: port + 1) else {
                    Glibc.close(descriptor)
                    continue
                }
                guard reservations.hold(next, for: token, holder: holder, now: Int(time(nil))) else {
                    Glibc.close(next)
                    Glibc.close(descriptor)
                    throw BindError.tooManyHeldPorts
                }
                return descriptor
            } catch {
                Glibc.close(descriptor)
                throw error
            }
        }
        throw BindError.noFreePort(ports)
    }

    /// A socket bound to `port` of the relay IP; nil when the port is taken.
    private func openIfFree(port: Int) throws -> CInt? {
        do {
            return try UdpSocket.openBound(
                try SocketAddress(ipAddress: relayIP, port: port), options: UdpSocket.Options(receiveBufferSize: nil))
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            return nil
        }
    }

    private func randomEvenPort(leavingRoomForNext: Bool) -> Int {
        let highest = leavingRoomForNext ? ports.upperBound - 1 : ports.upperBound
        let port = Int.random(in: ports.lowerBound...max(ports.lowerBound, highest))
        guard port % 2 == 1 else { return port }
        return port + 1 <= highest ? port + 1 : port - 1
    }

    /// Sets the IP header's don't-fragment bit on everything `descriptor` sends (path MTU
    /// discovery on, as for DONT-FRAGMENT).
    private static func setDontFragment(_ descriptor: CInt, ipv6: Bool) {
        var value: CInt
        let length = socklen_t(MemoryLayout<CInt>.size)
        if ipv6 {
            value = 1
            _ = setsockopt(descriptor, CInt(IPPROTO_IPV6), IPV6_DONTFRAG, &value, length)
        } else {
            value = IP_PMTUDISC_DO
            _ = setsockopt(descriptor, CInt(IPPROTO_IP), IP_MTU_DISCOVER, &value, length)
        }
    }
}
