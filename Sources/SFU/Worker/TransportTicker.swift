import NIOCore

/// Runs the periodic work of every transport of a worker (``Transport/tick(now:)``) from one
/// timer. A repeated task per transport cost more to reschedule than the work it ran once a
/// worker held a few hundred transports.
///
/// `@unchecked Sendable`: touched only on the worker's event loop.
final class TransportTicker: @unchecked Sendable {
    static let interval = TimeAmount.milliseconds(40)

    private let eventLoop: any EventLoop
    /// Strong references: transports leave on close. A weak one would give every transport a
    /// side table, which slows each retain of it on the packet path.
    private var entries: [ObjectIdentifier: Transport] = [:]
    private var task: RepeatedTask?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func add(_ transport: Transport) {
        eventLoop.preconditionInEventLoop()
        entries[ObjectIdentifier(transport)] = transport
        guard task == nil else { return }
        task = eventLoop.scheduleRepeatedTask(initialDelay: Self.interval, delay: Self.interval) { [weak self] _ in
            self?.tick()
        }
    }

    func remove(_ transport: Transport) {
        eventLoop.preconditionInEventLoop()
        entries[ObjectIdentifier(transport)] = nil
        guard entries.isEmpty else { return }
        task?.cancel()
        task = nil
    }

    private func tick() {
        let now = NIODeadline.now()
        // A tick may close transports (and so remove them): walk a copy.
        for transport in Array(entries.values) where !transport.isClosed {
            transport.tick(now: now)
        }
    }
}
