import HummingbirdCore
import Logging
import NIOCore

/// The HTTPS port's connections: Hummingbird's HTTP and WebSocket channel behind a
/// ``FirstRequestGuard``, which answers and closes what Hummingbird would leave hanging.
struct GuardedHTTPChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    /// How long a connection may take to send its first request.
    let firstRequestTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(FirstRequestGuard(timeout: firstRequestTimeout))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.pipeline.syncOperations.addHandler(FirstRequestGuard.ParseErrorObserver())
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
        let channel = value.channel
        channel.eventLoop.execute {
            try? channel.pipeline.syncOperations.handler(type: FirstRequestGuard.self).rejectIfUnanswered()
        }
    }
}
