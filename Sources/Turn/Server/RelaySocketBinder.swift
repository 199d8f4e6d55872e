import NIOCore
import UdpIO

#if canImport(Glibc)
    import Glibc
#endif

/// Binds TURN relay sockets on a random free port of the configured range.
struct RelaySocketBinder: Sendable {
    enum BindError: Error {
        case noFreePort(ClosedRange<Int>)
        case familyUnavailable
    }

    let relayIP: String
    let ports: ClosedRange<Int>
    var attempts = 32

    /// A relay socket for `request` on `eventLoop`: an even port when it asks for one, another
    /// port while the one picked is taken.
    func bind(_ request: RelayRequest, on eventLoop: any EventLoop) async throws -> UdpSocket {
        guard (request.family == .ipv6) == relayIP.contains(":") else { throw BindError.familyUnavailable }
        for _ in 0..<attempts {
            var port = Int.random(in: ports)
            if request.evenPort, port % 2 == 1 {
                port = port + 1 <= ports.upperBound ? port + 1 : port - 1
            }
            do {
                return try await UdpSocket.bind(
                    host: relayIP, port: port, on: eventLoop,
                    options: UdpSocket.Options(vectorReadCount: 8, receiveBufferSize: nil))
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                continue
            }
        }
        throw BindError.noFreePort(ports)
    }
}
