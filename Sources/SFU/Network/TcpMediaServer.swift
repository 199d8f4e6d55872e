import NIOCore
import SocketIO

#if canImport(Glibc)
    import Glibc
#endif

/// A listening TCP socket for ICE-TCP on a worker's loop; accepted connections are handed to
/// ``onConnection``.
///
/// Anyone can open a connection: one that no valid ICE check claimed (``TcpMediaConnection/
/// isClaimed``) within ``unclaimedLifetime`` is closed, and at most ``maximumUnclaimed`` wait
/// at once (more are refused), so idle connections cannot use up the process's descriptors.
///
/// `@unchecked Sendable`: mutable members are touched only on ``eventLoop``.
public final class TcpMediaServer: @unchecked Sendable {
    public let eventLoop: SocketEventLoop
    public let localAddress: SocketAddress
    public var onConnection: ((TcpMediaConnection) -> Void)?
    private var listener: StreamLoopListener?
    private var connections: [ObjectIdentifier: TcpMediaConnection] = [:]
    /// When each connection not yet claimed was accepted.
    private var unclaimed: [ObjectIdentifier: NIODeadline] = [:]
    private var sweep: RepeatedTask?

    static let unclaimedLifetime = TimeAmount.seconds(10)
    static let maximumUnclaimed = 256

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
            server.sweep = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) {
                [weak server] _ in server?.closeUnclaimed(now: .now())
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
        guard unclaimed.count < Self.maximumUnclaimed else {
            connection.close()
            return
        }
        let key = ObjectIdentifier(connection)
        connections[key] = connection
        unclaimed[key] = .now()
        // After `onConnection`, which sets the connection's own close handler: it is kept.
        onConnection?(connection)
        let handlerOnClose = connection.onClose
        connection.onClose = { [weak self] in
            handlerOnClose?()
            self?.connections[key] = nil
            self?.unclaimed[key] = nil
        }
    }

    /// Forgets the connections ICE claimed and closes those unclaimed for too long.
    func closeUnclaimed(now: NIODeadline) {
        var expired: [TcpMediaConnection] = []
        for (key, acceptedAt) in unclaimed {
            guard let connection = connections[key] else { continue }
            if connection.isClaimed {
                unclaimed[key] = nil
            } else if now - acceptedAt >= Self.unclaimedLifetime {
                expired.append(connection)
            }
        }
        for connection in expired { connection.close() }
    }

    public func close() {
        eventLoop.preconditionInEventLoop()
        onConnection = nil
        sweep?.cancel()
        sweep = nil
        listener?.close()
        listener = nil
        for connection in connections.values { connection.close() }
        connections.removeAll()
    }
}
