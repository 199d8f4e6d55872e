import NIOCore
import NIOHTTP1

/// Watches a connection until its first request has arrived. Hummingbird times nothing out
/// before a connection's first request, and leaves the connection open without a word when that
/// request cannot be parsed (a header line without a colon, a head over 80 KB, a made-up
/// method): either way a client could hold sockets for ever. This handler, right after TLS,
/// closes a connection whose first request head has not arrived within `timeout` (408, as
/// Node's headers timeout), and answers 400 for one whose first request did not parse
/// (``ParseErrorObserver``) or the server gave up on. Later requests are Hummingbird's.
final class FirstRequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Any
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var deadline: Scheduled<Void>?
    private var answered = false
    private var requestArrived = false

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

    /// The first request head was read (the server answers it, however long that takes).
    func firstRequestArrived() {
        requestArrived = true
        deadline?.cancel()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if !answered {
            answered = true
            deadline?.cancel()
            // A WebSocket's 101 (its request head never reaches the observer): the observer
            // reads HTTP parts and must be gone before the first frame.
            if let observer = try? context.pipeline.syncOperations.handler(type: ParseErrorObserver.self) {
                context.pipeline.syncOperations.removeHandler(observer, promise: nil)
            }
        }
        context.write(data, promise: promise)
    }

    /// Called once the server is done with the connection: if it never answered and the
    /// connection is still open, its request did not parse.
    func rejectIfUnanswered() {
        reject(status: "400 Bad Request", message: "malformed HTTP request")
    }

    private func reject(status: String, message: String) {
        guard !answered, !requestArrived, let context, context.channel.isActive else { return }
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
    /// Behind the HTTP decoder and the upgrade handler: sees the first request's head arrive (a
    /// WebSocket upgrade's is not passed on; its 101 answers it) and the decoder's error about a
    /// first request, which nothing of Hummingbird's answers before the connection is set up
    /// for HTTP. Leaves once the first head has passed.
    final class ParseErrorObserver: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head = unwrapInboundIn(data) {
                try? context.pipeline.syncOperations.handler(type: FirstRequestGuard.self).firstRequestArrived()
                context.fireChannelRead(data)
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                return
            }
            context.fireChannelRead(data)
        }

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
