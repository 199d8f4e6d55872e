import NIOCore
import SocketIO

extension UdpSocket {
    /// Binds a random free port of `range`, trying other ports while they are taken.
    static func bind(
        host: String, in range: PortRange, on eventLoop: any EventLoop, options: Options = Options(),
        attempts: Int = 64
    ) async throws -> UdpSocket {
        let socket = try await bindFreePort(host: host, on: eventLoop, options: options, attempts: attempts) {
            Int.random(in: range.min...range.max)
        }
        guard let socket else { throw NetworkError.noFreePort(range) }
        return socket
    }
}
