import HummingbirdWebSocket
import Logging
import NIOWebSocket
import Rooms
import SFU

/// One protoo peer's WebSocket: sends notifications and requests (awaiting their responses),
/// hands incoming requests to a ``ProtooPeerHandler`` and writes its answers, and closes with
/// code 4000 when the server ends the peer.
///
/// Frames go out in the order they were queued, whichever task queued them; incoming requests
/// are handled one at a time in arrival order while responses to server requests are matched
/// as soon as they arrive, so a handler may await a server request without blocking.
public actor ProtooPeerConnection {
    /// The close code protoo-server uses when it closes a peer; clients treat it as final.
    public static let serverCloseCode: UInt16 = 4000

    public nonisolated let roomId: String
    public nonisolated let peerId: String
    /// The `token` query parameter of the upgrade, checked when access tokens are configured.
    public nonisolated let accessToken: String?
    /// `usePipeTransports=true` in the URL (mediasoup-demo-ts): a room this connection creates
    /// pipes its producers to a second router for the receiving transports.
    public nonisolated let usePipeTransports: Bool
    /// `consumerReplicas=N` in the URL (mediasoup-demo's load-testing parameter): N extra
    /// copies of every consumer offered to this peer, at most ``maxConsumerReplicas``.
    public nonisolated let consumerReplicas: Int
    public static let maxConsumerReplicas = 20
    /// Base timeout of a server request; protoo stretches it by 1/150 per pending request.
    public nonisolated let requestTimeout: Duration
    /// How long a peer the server closed has to answer the close before the server stops
    /// reading it: a client whose network went away never answers, and its replacement waits.
    static let closeReplyTimeout = Duration.seconds(2)
    /// A WebSocket close frame carries at most 125 bytes: the code and 123 of reason.
    static let maxCloseReasonBytes = 123

    let logger: Logger
    private let outgoing: AsyncStream<String>
    private let outgoingQueue: AsyncStream<String>.Continuation
    private typealias Resolver = @Sendable (Result<JSONValue, ProtooRequestFailure>) -> Void
    private var pending: [Int64: (resolve: Resolver, timer: Task<Void, Never>)] = [:]
    private var closedByServer = false
    /// Reads the socket while the connection runs; stopped when a closed peer does not answer.
    private var reader: Task<Void, Never>?
    private var finished = false
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []

    /// False from the moment either side starts closing; sends are dropped from then on.
    public private(set) var isOpen = true
    /// The shapes of the messages to and from this peer.
    public private(set) var dialect = ProtooDialect.classic
    /// The SCTP capabilities a TypeScript-demo peer gave its receiving transport: that demo's
    /// `join` does not repeat them, and they are what makes the room offer it data consumers.
    private(set) var receivingSctpCapabilities: SctpCapabilities?

    public init(
        roomId: String, peerId: String, accessToken: String? = nil, usePipeTransports: Bool = false,
        consumerReplicas: Int = 0, requestTimeout: Duration = .seconds(30), logger: Logger
    ) {
        self.consumerReplicas = min(max(0, consumerReplicas), Self.maxConsumerReplicas)
        self.roomId = roomId
        self.peerId = peerId
        self.accessToken = accessToken
        self.usePipeTransports = usePipeTransports
        self.requestTimeout = requestTimeout
        var logger = logger
        logger[metadataKey: "roomId"] = "\(roomId)"
        logger[metadataKey: "peerId"] = "\(peerId)"
        self.logger = logger
        (outgoing, outgoingQueue) = AsyncStream.makeStream(of: String.self)
    }

    func speak(_ dialect: ProtooDialect) {
        self.dialect = dialect
    }

    func remember(receivingSctpCapabilities: SctpCapabilities) {
        self.receivingSctpCapabilities = receivingSctpCapabilities
    }

    // MARK: - Sending

    /// Queues a notification; dropped when the connection is closing.
    public func notify(_ method: String, data: JSONValue = .emptyObject) {
        send(.notification(ProtooNotification(method: method, data: data)))
    }

    /// Sends a request and waits for its response: the response `data` on success.
    public func request(_ method: String, data: JSONValue = .emptyObject) async throws(ProtooRequestFailure)
        -> JSONValue
    {
        let result = await withCheckedContinuation { continuation in
            startRequest(method, data: data) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Queues a request now, in order with everything else sent, and hands its outcome to
    /// `onResponse` when it comes.
    public func request(
        _ method: String, data: JSONValue = .emptyObject,
        onResponse: @escaping @Sendable (Result<JSONValue, ProtooRequestFailure>) async -> Void
    ) {
        startRequest(method, data: data) { result in Task { await onResponse(result) } }
    }

    private func startRequest(_ method: String, data: JSONValue, resolve: @escaping Resolver) {
        guard isOpen else {
            resolve(.failure(.peerClosed))
            return
        }
        var id = Int64.random(in: 0...10_000_000)
        while pending[id] != nil { id = Int64.random(in: 0...10_000_000) }
        let timeout = requestTimeout * (1 + Double(pending.count) / 150)
        // The timer runs on this actor, so it cannot fire before the request is registered.
        let timer = Task {
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            complete(id, with: .failure(.timeout))
        }
        pending[id] = (resolve, timer)
        send(.request(ProtooRequest(id: id, method: method, data: data)))
    }

    /// Closes the peer from the server side: pending requests fail with `peerClosed`, queued
    /// frames are flushed, then the socket closes with code 4000.
    public func close() {
        guard isOpen else { return }
        closedByServer = true
        shutDown()
        Task { [weak self] in
            try? await Task.sleep(for: Self.closeReplyTimeout)
            await self?.stopReading()
        }
    }

    private func stopReading() {
        reader?.cancel()
    }

    /// Closes (as ``close()``) and returns once the connection has ended and its handler has
    /// been told.
    public func closeAndWait() async {
        close()
        guard !finished else { return }
        await withCheckedContinuation { finishWaiters.append($0) }
    }

    private func send(_ message: ProtooMessage) {
        guard isOpen else { return }
        do {
            outgoingQueue.yield(try message.text())
        } catch {
            logger.error("dropping unencodable protoo message", metadata: ["error": "\(error)"])
        }
    }

    private func complete(_ id: Int64, with result: Result<JSONValue, ProtooRequestFailure>) {
        guard let entry = pending.removeValue(forKey: id) else {
            logger.debug("response for unknown request ignored", metadata: ["id": "\(id)"])
            return
        }
        entry.timer.cancel()
        entry.resolve(result)
    }

    private func shutDown() {
        isOpen = false
        outgoingQueue.finish()
        for (_, entry) in pending {
            entry.timer.cancel()
            entry.resolve(.failure(.peerClosed))
        }
        pending.removeAll()
    }

    // MARK: - Running

    /// Serves the socket until either side closes it, then tells `handler`. Called once, from the
    /// WebSocket upgrade handler.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, handler: any ProtooPeerHandler) async {
        let (requests, requestQueue) = AsyncStream.makeStream(of: Inbound.self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.write(to: outbound) }
            group.addTask {
                for await message in requests {
                    switch message {
                    case .request(let request): await self.answer(request, with: handler)
                    case .notification(let notification):
                        guard await self.isOpen else { continue }
                        await handler.handleNotification(notification, from: self)
                    }
                }
            }
            let reader = Task { await self.read(inbound, requests: requestQueue) }
            self.reader = reader
            if closedByServer { reader.cancel() }
            await reader.value
            requestQueue.finish()
            shutDown()
            group.cancelAll()
        }
        await handler.connectionClosed(self)
        markFinished()
    }

    /// Turns the peer away before serving it: closes the socket with code 4000 and `reason`.
    /// The WebSocket layer then waits (up to its close timeout) for the client's close reply.
    func refuse(outbound: WebSocketOutboundWriter, reason: String) async {
        shutDown()
        try? await outbound.close(.unknown(Self.serverCloseCode), reason: Self.closeReason(reason))
        markFinished()
    }

    /// `reason` cut to what a close frame holds, on a character boundary: a longer one (a long
    /// peer id in it, say) would make an invalid frame, which browsers answer by failing the
    /// socket instead of seeing the close.
    static func closeReason(_ reason: String) -> String {
        var cut = Substring(reason)
        while cut.utf8.count > maxCloseReasonBytes { cut = cut.dropLast() }
        return String(cut)
    }

    private func markFinished() {
        finished = true
        for waiter in finishWaiters { waiter.resume() }
        finishWaiters.removeAll()
    }

    /// What the peer sends that the handler takes, in the order sent.
    private enum Inbound: Sendable {
        case request(ProtooRequest)
        case notification(ProtooNotification)
    }

    private func read(_ inbound: WebSocketInboundStream, requests: AsyncStream<Inbound>.Continuation) async {
        do {
            for try await message in inbound.messages(maxSize: ProtooRoute.maxMessageSize) {
                guard case .text(let text) = message else {
                    logger.warning("binary protoo frame ignored")
                    continue
                }
                switch ProtooMessage(text: text) {
                case .request(let request)?:
                    requests.yield(.request(request))
                case .response(let response)?:
                    switch response.outcome {
                    case .success(let data): complete(response.id, with: .success(data))
                    case .failure(let error): complete(response.id, with: .failure(.rejected(error)))
                    }
                case .notification(let notification)?:
                    requests.yield(.notification(notification))
                case nil:
                    logger.warning("invalid protoo message ignored", metadata: ["text": "\(text.prefix(200))"])
                }
            }
        } catch {
            logger.debug("protoo socket ended", metadata: ["error": "\(error)"])
        }
    }

    private func answer(_ request: ProtooRequest, with handler: any ProtooPeerHandler) async {
        // A peer the server closed is not served what it sent before it saw the close.
        guard isOpen else { return }
        do {
            let answer = try await handler.handleRequest(request, from: self)
            send(.response(ProtooResponse(id: request.id, outcome: .success(answer.data))))
            await answer.afterSending?()
        } catch {
            send(.response(ProtooResponse(id: request.id, outcome: .failure(error))))
        }
    }

    private nonisolated func write(to outbound: WebSocketOutboundWriter) async {
        do {
            for await text in outgoing {
                try await outbound.write(.text(text))
            }
            if await closedByServer {
                try await outbound.close(.unknown(Self.serverCloseCode), reason: "closed by protoo-server")
            }
        } catch {
            logger.debug("protoo socket write failed", metadata: ["error": "\(error)"])
        }
    }
}
