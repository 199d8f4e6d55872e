import NIOCore
import SocketIO

/// Binds TURN relay sockets on a random free port of the configured range: an even port when
/// the request asks for one, another port while the one picked is taken.
struct RelaySocketBinder: Sendable {
    enum BindError: Error {
        case noFreePort(ClosedRange<Int>)
        case familyUnavailable
    }

    let relayIP: String
    let ports: ClosedRange<Int>
    var attempts = 32

    /// A relay socket for `request` on `loop`, the loop of a UDP client. Must be called on `loop`.
    func bind(_ request: RelayRequest, on loop: SocketEventLoop) throws -> DatagramLoopSocket {
        try checkFamily(of: request)
        let socket = try DatagramLoopSocket.bindFreePort(
            host: relayIP, on: loop, options: UdpSocket.Options(receiveBufferSize: nil), attempts: attempts
        ) { choosePort(for: request) }
        guard let socket else { throw BindError.noFreePort(ports) }
        return socket
    }

    /// A relay socket for `request` on `eventLoop`, the NIO loop of a TCP or TLS client.
    func bind(_ request: RelayRequest, on eventLoop: any EventLoop) async throws -> UdpSocket {
        try checkFamily(of: request)
        let socket = try await UdpSocket.bindFreePort(
            host: relayIP, on: eventLoop, options: UdpSocket.Options(vectorReadCount: 8, receiveBufferSize: nil),
            attempts: attempts
        ) { choosePort(for: request) }
        guard let socket else { throw BindError.noFreePort(ports) }
        return socket
    }

    private func checkFamily(of request: RelayRequest) throws {
        guard (request.family == .ipv6) == relayIP.contains(":") else { throw BindError.familyUnavailable }
    }

    private func choosePort(for request: RelayRequest) -> Int {
        let port = Int.random(in: ports)
        guard request.evenPort, port % 2 == 1 else { return port }
        return port + 1 <= ports.upperBound ? port + 1 : port - 1
    }
}
