import Hummingbird
import HummingbirdWebSocket
import Logging
import Rooms

/// The protoo WebSocket upgrade at `wss://host:port/?roomId=R&peerId=P` (subprotocol `protoo`;
/// any path).
///
/// Hummingbird cannot choose the status of a refused upgrade: a handshake without the `protoo`
/// subprotocol or without `roomId`/`peerId` is answered 400 Bad Request with `Connection: close`
/// (protoo-server answers 403 for the subprotocol); the client fails either way.
public struct ProtooRoute: Sendable {
    /// Largest protoo message accepted, as mediasoup-demo configures protoo-server.
    public static let maxMessageSize = 960_000
    /// The WebSocket subprotocol protoo clients offer and the server echoes.
    public static let subprotocol = "protoo"
    /// The WebSocket server settings protoo peers need: frames as large as
    /// ``maxMessageSize`` (SDP-sized capabilities exceed the 16 KiB default) and a ping every
    /// 60 s, as protoo-server's keepalive, so dead sockets are found and their peers removed.
    public static let webSocketConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
        ws: WebSocketServerConfiguration(maxFrameSize: maxMessageSize, autoPing: .enabled(timePeriod: .seconds(60))))

    /// Makes the application handler of a newly accepted peer; throwing refuses the peer by
    /// closing the socket with code 4000 and the error's reason.
    public typealias Acceptor = @Sendable (ProtooPeerConnection) async throws(ProtooError) -> any ProtooPeerHandler

    private let accept: Acceptor
    private let requestTimeout: Duration
    private let logger: Logger
    private let directory = ProtooPeerDirectory()

    public init(
        requestTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "sfu.protoo"),
        accept: @escaping Acceptor
    ) {
        self.accept = accept
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    /// Adds the upgrade route to `router`, at every path: protoo-server reads only the query, so
    /// clients and proxies may connect at `/ws?roomId=…` or under a prefix.
    public func register(on router: Router<BasicWebSocketRequestContext>) {
        for path: RouterPath in ["/", "**"] { register(on: router, path: path) }
    }

    private func register(on router: Router<BasicWebSocketRequestContext>, path: RouterPath) {
        router.ws(path) { request, _ in
            guard Self.offersProtoo(request), Self.peerAddress(request) != nil else { return .dontUpgrade }
            return .upgrade([.secWebSocketProtocol: Self.subprotocol])
        } onUpgrade: { inbound, outbound, context in
            guard let (roomId, peerId) = Self.peerAddress(context.request) else { return }
            let query = ProtooQuery(context.request)
            let connection = ProtooPeerConnection(
                roomId: roomId, peerId: peerId, accessToken: query.get("token"),
                usePipeTransports: query.get("usePipeTransports") == "true",
                consumerReplicas: query.get("consumerReplicas").flatMap { Int($0) } ?? 0, requestTimeout: requestTimeout,
                logger: logger)
            await serve(connection, inbound: inbound, outbound: outbound)
        }
    }

    private func serve(
        _ connection: ProtooPeerConnection, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter
    ) async {
        let (roomId, peerId) = (connection.roomId, connection.peerId)
        // Accepted (its token checked) before it replaces anyone: a refused connection must not
        // take the place of the peer whose id it names.
        let handler: any ProtooPeerHandler
        do {
            handler = try await accept(connection)
        } catch {
            logger.info(
                "protoo peer refused",
                metadata: ["roomId": "\(roomId)", "peerId": "\(peerId)", "reason": "\(error.reason)"])
            await connection.refuse(outbound: outbound, reason: error.reason)
            return
        }
        await directory.admit(connection)
        logger.info("protoo peer connected", metadata: ["roomId": "\(roomId)", "peerId": "\(peerId)"])
        await connection.run(inbound: inbound, outbound: outbound, handler: handler)
        await directory.remove(connection)
        logger.info("protoo peer disconnected", metadata: ["roomId": "\(roomId)", "peerId": "\(peerId)"])
    }

    static func offersProtoo(_ request: Request) -> Bool {
        request.headers[values: .secWebSocketProtocol]
            .flatMap { $0.split(separator: ",") }
            .contains { $0.trimmingCharacters(in: .whitespaces) == subprotocol }
    }

    /// `roomId` and `peerId` from the query; nil when either is missing, empty or holds a control
    /// character (a peer id reaches other peers' SDP, where a line break would be a new line).
    static func peerAddress(_ request: Request) -> (roomId: String, peerId: String)? {
        let query = ProtooQuery(request)
        guard let roomId = query.get("roomId"), ParticipantIdentifier.isValid(roomId), let peerId = query.get("peerId"),
            ParticipantIdentifier.isValid(peerId)
        else { return nil }
        return (roomId, peerId)
    }
}
