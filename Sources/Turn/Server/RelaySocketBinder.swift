import NIOCore
import UdpIO

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
        let socket = try await UdpSocket.bindFreePort(
            host: relayIP, on: eventLoop, options: UdpSocket.Options(vectorReadCount: 8, receiveBufferSize: nil),
            attempts: attempts
        ) {
            let port = Int.random(in: ports)
            guard request.evenPort, port % 2 == 1 else { return port }
            return port + 1 <= ports.upperBound ? port + 1 : port - 1
        }
        guard let socket else { throw BindError.noFreePort(ports) }
        return socket
    }
}
