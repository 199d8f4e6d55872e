import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Rooms
import XCTest

@testable import Protoo

/// The client end of a protoo connection in tests, usable from any task: sends frames or
/// requests and reads what the server sends, keeping messages it skipped while waiting for
/// something else.
actor ProtooTestClient {
    /// How long a test waits for a server message before failing instead of hanging.
    static let patience: Duration = .seconds(10)

    let peerId: String
    private var outbound: WebSocketOutboundWriter?
    private var received: [ProtooMessage] = []
    /// Every server message in arrival order, as `request:<method>`, `notification:<method>` or
    /// `response:<id>`.
    private(set) var arrivals: [String] = []
    private var waiter: CheckedContinuation<Void, Never>?
    private var ended = false
    /// The id of the next request; ids count up from 1.
    private(set) var nextRequestId: Int64 = 1
    private var connection: Task<WebSocketCloseFrame?, any Error>?

    private init(peerId: String) {
        self.peerId = peerId
    }

    /// Opens `ws://127.0.0.1:port/?roomId=…&peerId=…[&token=…]<extraQuery>` with subprotocol
    /// `protoo`.
    static func connect(
        port: Int, roomId: String = "room1", peerId: String, token: String? = nil, extraQuery: String = ""
    ) async throws -> ProtooTestClient {
        let client = ProtooTestClient(peerId: peerId)
        let (opened, openedQueue) = AsyncStream.makeStream(of: WebSocketOutboundWriter.self)
        let connection = Task {
            defer { openedQueue.finish() }
            let closeFrame = try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/?roomId=\(roomId)&peerId=\(peerId)" + (token.map { "&token=\($0)" } ?? "")
                    + extraQuery,
                configuration: WebSocketClientConfiguration(
                    maxFrameSize: ProtooRoute.maxMessageSize, additionalHeaders: [.secWebSocketProtocol: "protoo"]),
                logger: Logger(label: "protoo-test-client")
            ) { inbound, outbound, _ in
                openedQueue.yield(outbound)
                for try await message in inbound.messages(maxSize: ProtooRoute.maxMessageSize) {
                    guard case .text(let text) = message else { continue }
                    await client.deliver(text)
                }
            }
            await client.end()
            return closeFrame
        }
        var iterator = opened.makeAsyncIterator()
        guard let outbound = await iterator.next() else {
            _ = try await connection.value
            throw ProtooTestFailure.notConnected(peerId)
        }
        await client.opened(outbound, connection: connection)
        return client
    }

    private func opened(_ outbound: WebSocketOutboundWriter, connection: Task<WebSocketCloseFrame?, any Error>) {
        self.outbound = outbound
        self.connection = connection
    }

    private func deliver(_ text: String) {
        guard let message = ProtooMessage(text: text) else {
            XCTFail("server sent a frame protoo would drop: \(text)")
            return
        }
        received.append(message)
        switch message {
        case .request(let request): arrivals.append("request:\(request.method)")
        case .notification(let notification): arrivals.append("notification:\(notification.method)")
        case .response(let response): arrivals.append("response:\(response.id)")
        }
        wake()
    }

    private func end() {
        ended = true
        wake()
    }

    private func wake() {
        waiter?.resume()
        waiter = nil
    }

    func send(_ text: String) async throws {
        try await outbound?.write(.text(text))
    }

    func send(_ message: ProtooMessage) async throws {
        try await send(try message.text())
    }

    /// Removes and returns the first received message matching `predicate`, waiting for one;
    /// nil when the socket ended (or the server stayed silent too long) without one.
    func take(where predicate: (ProtooMessage) -> Bool) async -> ProtooMessage? {
        let deadline = ContinuousClock.now + Self.patience
        while true {
            if let index = received.firstIndex(where: predicate) { return received.remove(at: index) }
            guard !ended, ContinuousClock.now < deadline else { return nil }
            await withCheckedContinuation { continuation in
                waiter = continuation
                Task { [weak self] in
                    try? await Task.sleep(until: deadline)
                    await self?.wake()
                }
            }
        }
    }

    /// The next message in arrival order.
    func next() async -> ProtooMessage? {
        await take { _ in true }
    }

    /// Messages received and not taken yet, oldest first.
    var pending: [ProtooMessage] { received }

    /// Sends a request and waits for its response; other messages stay pending.
    func request(_ method: String, _ data: JSONValue = .emptyObject) async throws -> ProtooResponse.Outcome {
        let id = nextRequestId
        nextRequestId += 1
        try await send(.request(ProtooRequest(id: id, method: method, data: data)))
        let response = await take {
            if case .response(let response) = $0 { response.id == id } else { false }
        }
        guard case .response(let response)? = response else { throw ProtooTestFailure.noAnswer(method) }
        return response.outcome
    }

    /// Sends a request the server must accept; its response data.
    func succeed(_ method: String, _ data: JSONValue = .emptyObject) async throws -> JSONValue {
        let outcome = try await request(method, data)
        guard case .success(let data) = outcome else { throw ProtooTestFailure.refused(method, outcome) }
        return data
    }

    /// Waits for a server request with `method`.
    func serverRequest(_ method: String) async throws -> ProtooRequest {
        let message = await take {
            if case .request(let request) = $0 { request.method == method } else { false }
        }
        guard case .request(let request)? = message else { throw ProtooTestFailure.noAnswer(method) }
        return request
    }

    /// Waits for a notification with `method`.
    func notification(_ method: String) async throws -> JSONValue {
        let message = await take {
            if case .notification(let notification) = $0 { notification.method == method } else { false }
        }
        guard case .notification(let notification)? = message else { throw ProtooTestFailure.noAnswer(method) }
        return notification.data
    }

    func respond(to request: ProtooRequest, _ outcome: ProtooResponse.Outcome) async throws {
        try await send(.response(ProtooResponse(id: request.id, outcome: outcome)))
    }

    /// Closes from the client side and waits for the socket to end.
    func close() async throws {
        try await outbound?.close(.normalClosure, reason: nil)
        _ = try await closed()
    }

    /// Waits for the socket to end; how the server closed it.
    func closed() async throws -> WebSocketCloseFrame? {
        try await connection?.value
    }
}

enum ProtooTestFailure: Error {
    case notConnected(String)
    case noAnswer(String)
    case refused(String, ProtooResponse.Outcome)
    case malformedHandshakeResponse
}
