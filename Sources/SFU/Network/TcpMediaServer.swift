import NIOCore
import NIOPosix

/// A listening TCP socket for ICE-TCP on a worker's loop; accepted connections are handed to
/// ``onConnection``.
///
/// `@unchecked Sendable`: mutable members are touched only on ``eventLoop``.
public final class TcpMediaServer: @unchecked Sendable {
    public let eventLoop: any EventLoop
    public private(set) var localAddress: SocketAddress
    public var onConnection: ((TcpMediaConnection) -> Void)?
    private var channel: (any Channel)?
    private var connections: [ObjectIdentifier: TcpMediaConnection] = [:]

    private init(eventLoop: any EventLoop, localAddress: SocketAddress) {
        self.eventLoop = eventLoop
        self.localAddress = localAddress
    }

    public static func bind(host: String, port: Int, on eventLoop: any EventLoop) async throws -> TcpMediaServer {
        let server = TcpMediaServer(eventLoop: eventLoop, localAddress: try SocketAddress(ipAddress: host, port: port))
        let channel = try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [weak server] channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let server, let local = channel.localAddress, let remote = channel.remoteAddress else {
                        throw ChannelError.ioOnClosedChannel
                    }
                    let connection = TcpMediaConnection(channel: channel, localAddress: local, remoteAddress: remote)
                    try channel.pipeline.syncOperations.addHandler(TcpMediaConnectionHandler(connection: connection))
                    server.accepted(connection)
                }
            }
            .bind(host: host, port: port).get()
        server.channel = channel
        if let bound = channel.localAddress { server.localAddress = bound }
        return server
    }

    public static func bind(
        host: String, in range: PortRange, on eventLoop: any EventLoop, attempts: Int = 64
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
        let previousOnClose = connection.onClose
        connection.onClose = { [weak self] in
            previousOnClose?()
            self?.connections[key] = nil
        }
        onConnection?(connection)
    }

    public func close() {
        eventLoop.preconditionInEventLoop()
        onConnection = nil
        channel?.close(promise: nil)
        channel = nil
        for connection in connections.values { connection.close() }
        connections.removeAll()
    }
}

private final class TcpMediaConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let connection: TcpMediaConnection

    init(connection: TcpMediaConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection.receive(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.closed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
