import NIOCore
import SocketIO

#if canImport(Glibc)
    import Glibc
#endif

/// A listening TCP socket for ICE-TCP on a worker's loop; accepted connections are handed to
/// ``onConnection``.
///
/// `@unchecked Sendable`: mutable members are touched only on ``eventLoop``.
public final class TcpMediaServer: @unchecked Sendable {
    public let eventLoop: SocketEventLoop
    public let localAddress: SocketAddress
    public var onConnection: ((TcpMediaConnection) -> Void)?
    private var listener: StreamLoopListener?
    private var connections: [ObjectIdentifier: TcpMediaConnection] = [:]

    private init(listener: StreamLoopListener) {
        self.eventLoop = listener.eventLoop
        self.localAddress = listener.localAddress
        self.listener = listener
    }

    public static func bind(host: String, port: Int, on eventLoop: SocketEventLoop) async throws -> TcpMediaServer {
        try await eventLoop.submit {
            let server = TcpMediaServer(
                listener: try StreamLoopListener.bind(host: host, port: port, on: eventLoop, reusePort: false))
            server.listener?.onAccept = { [weak server] connection in
                guard let server else {
                    connection.close()
                    return
                }
                server.accepted(TcpMediaConnection(connection: connection))
            }
            return server
        }.get()
    }

    public static func bind(
        host: String, in range: PortRange, on eventLoop: SocketEventLoop, attempts: Int = 64
    ) async throws -> TcpMediaServer {
        for _ in 0..<attempts {
            do {
                return try await bind(host: host, port: Int.random(in: range.min...range.max), on: eventLoop)
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                continue
            }
        }
        throw NetworkError.noFreePort(range)
    }

    private func accepted(_ connection: TcpMediaConnection) {
        let key = ObjectIdentifier(connection)
        connections[key] = connection
        // After `onConnection`, which sets the connection's own close handler: it is kept.
        onConnection?(connection)
        let handlerOnClose = connection.onClose
        connection.onClose = { [weak self] in
            handlerOnClose?()
            self?.connections[key] = nil
        }
    }

    public func close() {
        eventLoop.preconditionInEventLoop()
        onConnection = nil
        listener?.close()
        listener = nil
        for connection in connections.values { connection.close() }
        connections.removeAll()
    }
}
