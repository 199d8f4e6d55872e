import NIOCore
import UdpIO

#if canImport(Glibc)
    import Glibc
#endif

extension UdpSocket {
    /// Binds a random free port of `range`, trying other ports while they are taken.
    static func bind(
        host: String, in range: PortRange, on eventLoop: any EventLoop, options: Options = Options(),
        attempts: Int = 64
    ) async throws -> UdpSocket {
        var lastError: any Error = NetworkError.noFreePort(range)
        for _ in 0..<attempts {
            do {
                return try await bind(
                    host: host, port: Int.random(in: range.min...range.max), on: eventLoop, options: options)
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                lastError = NetworkError.noFreePort(range)
            } catch {
                lastError = error
                break
            }
        }
        throw lastError
    }
}
