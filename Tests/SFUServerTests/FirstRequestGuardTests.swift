import NIOCore
import NIOEmbedded
import NIOHTTP1
import XCTest

@testable import sfu_server

final class FirstRequestGuardTests: XCTestCase {
    private func connection() throws -> (EmbeddedChannel, FirstRequestGuard) {
        let guardHandler = FirstRequestGuard(timeout: .seconds(20))
        let channel = EmbeddedChannel(handler: guardHandler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4443)).wait()
        return (channel, guardHandler)
    }

    private func written(_ channel: EmbeddedChannel) throws -> String? {
        try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) }
    }

    func testASilentConnectionIsAnswered408AndClosed() throws {
        let (channel, _) = try connection()
        channel.embeddedEventLoop.advanceTime(by: .seconds(19))
        XCTAssertNil(try written(channel))
        XCTAssertTrue(channel.isActive)

        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let response = try XCTUnwrap(try written(channel))
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), response)
        XCTAssertTrue(response.hasSuffix(#"{"error":"no complete request within 20 s"}"#), response)
        XCTAssertFalse(channel.isActive)
    }

    func testAConnectionTheServerGaveUpOnIsAnswered400AndClosed() throws {
        let (channel, guardHandler) = try connection()
        try channel.writeInbound(ByteBuffer(string: "HELLO\r\n\r\n"))
        guardHandler.rejectIfUnanswered()
        let response = try XCTUnwrap(try written(channel))
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), response)
        XCTAssertTrue(response.contains("Content-Type: application/json\r\n"), response)
        XCTAssertTrue(response.hasSuffix(#"{"error":"malformed HTTP request"}"#), response)
        XCTAssertFalse(channel.isActive)
    }

    /// However long the server then takes to answer (a REST call waiting on a busy worker).
    func testTheFirstRequestHeadEndsTheDeadline() throws {
        let (channel, guardHandler) = try connection()
        try channel.pipeline.syncOperations.addHandler(FirstRequestGuard.ParseErrorObserver())
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/rooms")))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        XCTAssertNil(try written(channel))
        XCTAssertTrue(channel.isActive)
        XCTAssertThrowsError(
            try channel.pipeline.syncOperations.handler(type: FirstRequestGuard.ParseErrorObserver.self), "gone after the head")
        // A later request's parse error is Hummingbird's to answer.
        guardHandler.rejectIfUnanswered()
        XCTAssertNil(try written(channel))
    }

    func testAnAnsweredConnectionIsLeftAlone() throws {
        let (channel, guardHandler) = try connection()
        try channel.pipeline.syncOperations.addHandler(FirstRequestGuard.ParseErrorObserver())
        try channel.writeAndFlush(ByteBuffer(string: "HTTP/1.1 101 Switching Protocols\r\n\r\n")).wait()
        XCTAssertNotNil(try written(channel))
        XCTAssertThrowsError(
            try channel.pipeline.syncOperations.handler(type: FirstRequestGuard.ParseErrorObserver.self),
            "gone before a WebSocket's first frame")
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        guardHandler.rejectIfUnanswered()
        XCTAssertNil(try written(channel))
        XCTAssertTrue(channel.isActive)
    }
}
