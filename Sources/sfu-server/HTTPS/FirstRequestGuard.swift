import NIOCore
import NIOHTTP1

/// Watches a connection until the server first answers it. Hummingbird times nothing out before
/// a connection's first request, and leaves the connection open without a word when that request
/// cannot be parsed (a header line without a colon, a head over 80 KB, a made-up method): either
/// way a client could hold sockets for ever. This handler, right after TLS, closes a connection
/// the server has not answered within `timeout` (408, as Node's headers timeout), and answers
/// 400 for one whose request did not parse (``ParseErrorObserver``) or the server gave up on.
final class FirstRequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Any
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var deadline: Scheduled<Void>?
    private var answered = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            self?.reject(status: "408 Request Timeout", message: "no complete request within \(self?.timeout.seconds ?? 0) s")
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if !answered {
            answered = true
            deadline?.cancel()
        }
        context.write(data, promise: promise)
    }

    /// Called once the server is done with the connection: if it never answered and the
    /// connection is still open, its request did not parse.
    func rejectIfUnanswered() {
        reject(status: "400 Bad Request", message: "malformed HTTP request")
    }

    private func reject(status: String, message: String) {
        guard !answered, let context, context.channel.isActive else { return }
        answered = true
        deadline?.cancel()
        let body = #"{"error":"\#(message)"}"#
        let response =
            "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

extension FirstRequestGuard {
    /// At the end of the pipeline: the HTTP decoder's error about a first request, which nothing
    /// of Hummingbird's answers before the connection is set up for HTTP.
    final class ParseErrorObserver: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = Any

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if error is HTTPParserError {
                try? context.pipeline.syncOperations.handler(type: FirstRequestGuard.self).rejectIfUnanswered()
            }
            context.fireErrorCaught(error)
        }
    }
}

extension TimeAmount {
    fileprivate var seconds: Int64 { nanoseconds / 1_000_000_000 }
}
