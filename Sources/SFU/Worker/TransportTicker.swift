import NIOCore

/// Runs the periodic work of every transport of a worker (``Transport/tick(now:)``) every
/// ``interval``, from one timer. A repeated task per transport cost more to reschedule than the
/// work it ran once a worker held a few hundred transports.
///
/// The transports are ticked in ``phases`` groups, one group every `interval / phases`: ticking
/// them all at once stopped the worker for about 4 µs a transport (0.35 ms at 80 transports,
/// about 3 ms at 700), and every packet arriving meanwhile waited for it.
///
/// `@unchecked Sendable`: touched only on the worker's event loop.
final class TransportTicker: @unchecked Sendable {
    static let interval = TimeAmount.milliseconds(40)
    static let phases = 8

    private let eventLoop: any EventLoop
    /// Strong references: transports leave on close. A weak one would give every transport a
    /// side table, which slows each retain of it on the packet path.
    private var groups = [[ObjectIdentifier: Transport]](repeating: [:], count: phases)
    private var groupIndex: [ObjectIdentifier: Int] = [:]
    private var phase = 0
    private var task: RepeatedTask?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Adds `transport` to the smallest group.
    func add(_ transport: Transport) {
        eventLoop.preconditionInEventLoop()
        let key = ObjectIdentifier(transport)
        guard groupIndex[key] == nil else { return }
        let index = groups.indices.min { groups[$0].count < groups[$1].count }!
        groups[index][key] = transport
        groupIndex[key] = index
        guard task == nil else { return }
        let slot = TimeAmount.nanoseconds(Self.interval.nanoseconds / Int64(Self.phases))
        task = eventLoop.scheduleRepeatedTask(initialDelay: slot, delay: slot) { [weak self] _ in
            self?.tickNextPhase()
        }
    }

    func remove(_ transport: Transport) {
        eventLoop.preconditionInEventLoop()
        let key = ObjectIdentifier(transport)
        guard let index = groupIndex.removeValue(forKey: key) else { return }
        groups[index][key] = nil
        guard groupIndex.isEmpty else { return }
        task?.cancel()
        task = nil
    }

    private func tickNextPhase() {
        phase = (phase + 1) % Self.phases
        let now = NIODeadline.now()
        // A tick may close transports (and so remove them): walk a copy.
        for transport in Array(groups[phase].values) where !transport.isClosed {
            transport.tick(now: now)
        }
    }
}
