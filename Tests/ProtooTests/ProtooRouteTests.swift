import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import NIOWebSocket
import Rooms
import XCTest

@testable import Protoo

/// A handler with a few scripted methods, reporting closed connections.
private struct ScriptedPeerHandler: ProtooPeerHandler {
    let closed: AsyncStream<String>.Continuation

    func handleNotification(_ notification: ProtooNotification, from connection: ProtooPeerConnection) async {}

    func handleRequest(_ request: ProtooRequest, from connection: ProtooPeerConnection) async throws(ProtooError)
        -> ProtooAnswer
    {
        ProtooAnswer(try await data(answering: request, from: connection))
    }

    private func data(answering request: ProtooRequest, from connection: ProtooPeerConnection) async throws(ProtooError)
        -> JSONValue
    {
        switch request.method {
        case "echo":
            return request.data
        case "fail":
            throw ProtooError(reason: "asked to fail")
        case "notifyThenAnswer":
            await connection.notify("before", data: request.data)
            return .object(["after": .bool(true)])
        case "askClient":
            do {
                return try await connection.request("question", data: request.data)
            } catch {
                throw ProtooError(reason: error.description)
            }
        case "closeMe":
            await connection.close()
            return .emptyObject
        default:
            throw ProtooError(reason: "unknown request.method \"\(request.method)\"")
        }
    }

    func connectionClosed(_ connection: ProtooPeerConnection) async {
        closed.yield(connection.peerId)
    }
}

final class ProtooRouteTests: XCTestCase {
    /// Runs `test` against a live server with the protoo route and the scripted handler; the
    /// stream yields the peer id of every connection the server saw close.
    private func withServer(
        requestTimeout: Duration = .seconds(30),
        _ test: @escaping @Sendable (_ port: Int, _ closed: AsyncStream<String>) async throws -> Void
    ) async throws {
        let (closed, closedQueue) = AsyncStream.makeStream(of: String.self)
        let router = Router(context: BasicWebSocketRequestContext.self)
        ProtooRoute(requestTimeout: requestTimeout) { _ in ScriptedPeerHandler(closed: closedQueue) }
            .register(on: router)
        let app = Application(
            router: router, server: .http1WebSocketUpgrade(
                webSocketRouter: router, configuration: ProtooRoute.webSocketConfiguration),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await test(try XCTUnwrap(client.port), closed)
        }
    }

    func testHandshakeEchoesProtooSubprotocol() async throws {
        try await withServer { port, _ in
            let head = try await HTTPHandshake.responseHead(
                port: port, target: "/?roomId=r1&peerId=alice", subprotocol: "chat, protoo")
            XCTAssertTrue(head.hasPrefix("HTTP/1.1 101"), head)
            XCTAssertTrue(head.lowercased().contains("sec-websocket-protocol: protoo"), head)
        }
    }

    func testHandshakeIsAcceptedAtAnyPathAsProtooServerReadsOnlyTheQuery() async throws {
        try await withServer { port, _ in
            for path in ["/ws", "/protoo/", "/a/b"] {
                let head = try await HTTPHandshake.responseHead(
                    port: port, target: "\(path)?roomId=r1&peerId=alice", subprotocol: "protoo")
                XCTAssertTrue(head.hasPrefix("HTTP/1.1 101"), "\(path): \(head)")
            }
        }
    }

    func testHandshakeWithoutProtooSubprotocolIsRefused() async throws {
        try await withServer { port, _ in
            for subprotocol in [nil, "chat"] {
                let head = try await HTTPHandshake.responseHead(
                    port: port, target: "/?roomId=r1&peerId=alice", subprotocol: subprotocol)
                XCTAssertTrue(head.hasPrefix("HTTP/1.1 400"), head)
            }
        }
    }

    func testHandshakeWithoutRoomIdOrPeerIdIsRefused() async throws {
        try await withServer { port, _ in
            for target in ["/?peerId=alice", "/?roomId=r1", "/?roomId=&peerId=alice", "/"] {
                let head = try await HTTPHandshake.responseHead(port: port, target: target, subprotocol: "protoo")
                XCTAssertTrue(head.hasPrefix("HTTP/1.1 400"), "\(target): \(head)")
            }
        }
    }

    func testHandshakeWithAControlCharacterInAnIdIsRefused() async throws {
        try await withServer { port, _ in
            for target in ["/?roomId=r1&peerId=eve%0D%0Aa%3Dcandidate", "/?roomId=r%001&peerId=alice"] {
                let head = try await HTTPHandshake.responseHead(port: port, target: target, subprotocol: "protoo")
                XCTAssertTrue(head.hasPrefix("HTTP/1.1 400"), "\(target): \(head)")
            }
        }
    }

    func testQueryIsDecodedAsProtooServerDecodesIt() async throws {
        try await withServer { port, closed in
            // URLSearchParams writes a space as "+"; Node's querystring reads it back as one.
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice+smith%21")
            try await peer.send(.request(ProtooRequest(id: 1, method: "closeMe")))
            _ = try await peer.closed()
            var iterator = closed.makeAsyncIterator()
            let closedPeer = await iterator.next()
            XCTAssertEqual(closedPeer, "alice smith!")
        }
    }

    func testRequestGetsSuccessResponseWithData() async throws {
        try await withServer { port, _ in
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice")
            let data = JSONValue.object(["x": .array([.integer(1), .integer(2)]), "s": .string("é")])
            let echoed = try await peer.request("echo", data)
            XCTAssertEqual(echoed, .success(data))
            try await peer.close()
        }
    }

    func testMessagesUpToTheProtooLimitPassBothWays() async throws {
        try await withServer { port, _ in
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice")
            let data = JSONValue.string(String(repeating: "x", count: 500_000))
            let echoed = try await peer.request("echo", data)
            XCTAssertEqual(echoed, .success(data))
            try await peer.close()
        }
    }

    func testRejectedAndUnknownMethodsGetErrorResponsesAndConnectionStaysOpen() async throws {
        try await withServer { port, _ in
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice")
            let failed = try await peer.request("fail")
            XCTAssertEqual(failed, .failure(ProtooError(code: 500, reason: "asked to fail")))
            let unknown = try await peer.request("bogus")
            XCTAssertEqual(unknown, .failure(ProtooError(code: 500, reason: "unknown request.method \"bogus\"")))
            let echoed = try await peer.request("echo", .object(["still": .bool(true)]))
            XCTAssertEqual(echoed, .success(.object(["still": .bool(true)])))
            try await peer.close()
        }
    }

    func testMalformedFramesAreIgnoredLikeProtoo() async throws {
        try await withServer { port, _ in
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice")
            try await peer.send("this is not json")
            try await peer.send(#"[1,2,3]"#)
            try await peer.send(#"{"request":true,"id":"7","method":"echo"}"#)
            try await peer.send(#"{"response":true,"id":99,"ok":true}"#)
            let echoed = try await peer.request("echo", .object(["n": .integer(1)]))
            XCTAssertEqual(echoed, .success(.object(["n": .integer(1)])))
            let unexpected = await peer.pending
            XCTAssertTrue(unexpected.isEmpty, "server answered a dropped frame: \(unexpected)")
            try await peer.close()
        }
    }

    func testNotificationSentByHandlerPrecedesItsAnswer() async throws {
        try await withServer { port, _ in
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice")
            try await peer.send(.request(ProtooRequest(id: 1, method: "notifyThenAnswer", data: .object(["k": .string("v")]))))
            let first = await peer.next()
            XCTAssertEqual(first, .notification(ProtooNotification(method: "before", data: .object(["k": .string("v")]))))
            let second = await peer.next()
            XCTAssertEqual(second, .response(ProtooResponse(id: 1, outcome: .success(.object(["after": .bool(true)])))))
            try await peer.close()
        }
    }

    func testServerRequestResolvesWithClientAnswer() async throws {
        try await withServer { port, _ in
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice")
            try await peer.send(.request(ProtooRequest(id: 1, method: "askClient", data: .object(["q": .integer(42)]))))
            let question = try await peer.serverRequest("question")
            XCTAssertEqual(question.data, .object(["q": .integer(42)]))
            XCTAssertTrue((0...10_000_000).contains(question.id))
            try await peer.respond(to: question, .success(.object(["a": .integer(1)])))
            let answer = await peer.next()
            XCTAssertEqual(answer, .response(ProtooResponse(id: 1, outcome: .success(.object(["a": .integer(1)])))))
            try await peer.close()
        }
    }

    func testServerRequestRejectedByClientFails() async throws {
        try await withServer { port, _ in
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice")
            try await peer.send(.request(ProtooRequest(id: 1, method: "askClient")))
            let question = try await peer.serverRequest("question")
            try await peer.send(#"{"response":true,"id":\#(question.id),"ok":false,"errorCode":403,"errorReason":"no"}"#)
            let answer = await peer.next()
            XCTAssertEqual(
                answer, .response(ProtooResponse(id: 1, outcome: .failure(ProtooError(reason: "request rejected: 403 no")))))
            try await peer.close()
        }
    }

    func testUnansweredServerRequestTimesOut() async throws {
        try await withServer(requestTimeout: .milliseconds(200)) { port, _ in
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice")
            try await peer.send(.request(ProtooRequest(id: 1, method: "askClient")))
            _ = try await peer.serverRequest("question")
            let answer = await peer.next()
            XCTAssertEqual(answer, .response(ProtooResponse(id: 1, outcome: .failure(ProtooError(reason: "request timeout")))))
            try await peer.close()
        }
    }

    func testServerCloseUsesCode4000() async throws {
        try await withServer { port, closed in
            let peer = try await ProtooTestClient.connect(port: port, peerId: "alice")
            try await peer.send(.request(ProtooRequest(id: 1, method: "closeMe")))
            let closeFrame = try await peer.closed()
            XCTAssertEqual(closeFrame?.closeCode, .unknown(4000))
            XCTAssertEqual(closeFrame?.reason, "closed by protoo-server")
            let afterClose = await peer.pending
            XCTAssertEqual(afterClose, [], "nothing is sent once the server closed the peer")
            var iterator = closed.makeAsyncIterator()
            let closedPeer = await iterator.next()
            XCTAssertEqual(closedPeer, "alice")
        }
    }

    func testSecondConnectionWithSamePeerIdReplacesFirst() async throws {
        try await withServer { port, closed in
            let first = try await ProtooTestClient.connect(port: port, peerId: "alice")
            _ = try await first.succeed("echo")
            let second = try await ProtooTestClient.connect(port: port, peerId: "alice")
            let secondEcho = try await second.request("echo", .string("second"))
            XCTAssertEqual(secondEcho, .success(.string("second")))
            let firstCloseFrame = try await first.closed()
            XCTAssertEqual(firstCloseFrame?.closeCode, .unknown(4000))
            var iterator = closed.makeAsyncIterator()
            let firstClosed = await iterator.next()
            XCTAssertEqual(firstClosed, "alice", "the first connection closed before the second was served")
            try await second.close()
        }
    }
}
