import CLinuxIO
import Dispatch
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// An event loop of its own for servers whose work is small messages relayed between sockets
/// (the TURN server's UDP and TCP side): one thread waiting in `epoll_wait` on its
/// ``LoopSocket``s. A ready ``DatagramLoopSocket`` is read with `recvmmsg` into buffers the loop
/// reuses, and each datagram goes straight to the socket's owner; a ``StreamLoopConnection``
/// hands its owner the bytes read, to cut into messages.
///
/// NIO's channels do the same through a channel pipeline, and for datagrams an
/// `AddressedEnvelope` and a `SocketAddress` with a formatted host string each, on a loop built
/// for every kind of channel. Measured at a few thousand datagrams a second, where each one
/// wakes the loop on its own, that path cost about as much CPU as the kernel's work for the
/// datagram; this loop runs only what a message needs.
///
/// It is an `EventLoop`, so futures, `NIOLoopBound` and scheduled tasks work on it as on NIO's.
///
/// `@unchecked Sendable`: the members shared between threads (`submitted`, `wakeupPending`,
/// `state`, `nextTimerID`) are guarded by `lock`; everything else is touched only on the loop's thread, and
/// `loopThread` is written once, before `init` returns.
public final class SocketEventLoop: EventLoop, @unchecked Sendable {
    private enum State {
        case running
        case stopping(callbacks: [(DispatchQueue, @Sendable (Error?) -> Void)])
        case stopped
    }

    private struct Timer {
        let id: UInt64
        let deadline: NIODeadline
        let fire: () -> Void
        let fail: (EventLoopError) -> Void
    }

    private static let wakeupToken = UInt64.max
    private static let eventsPerWait: CInt = 64

    private let name: String
    private let epoll: CInt
    private let wakeup: CInt
    private var loopThread = pthread_t()

    private let lock = NIOLock()
    private var submitted: [() -> Void] = []
    private var wakeupPending = false
    private var state = State.running

    private var nextTimerID: UInt64 = 0

    private var sockets: [CInt: any LoopSocket] = [:]
    private var timers: [Timer] = []
    let receiveBuffers = DatagramReceiveBuffers()
    /// When the latest `recvmmsg` batch was read: the arrival time of its datagrams, before any
    /// of them was processed (read on the loop only).
    public internal(set) var datagramBatchTime: NIODeadline?

    /// Starts the loop's thread, named `name`.
    public init(name: String) throws {
        self.name = name
        epoll = epoll_create1(CInt(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw IOError(errnoCode: errno, reason: "epoll_create1") }
        wakeup = eventfd(0, CInt(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeup >= 0 else {
            let code = errno
            Glibc.close(epoll)
            throw IOError(errnoCode: code, reason: "eventfd")
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeupToken
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)

        let started = DispatchSemaphore(value: 0)
        let context = Unmanaged.passRetained(StartContext(loop: self, started: started)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            let context = Unmanaged<StartContext>.fromOpaque(argument!).takeRetainedValue()
            context.loop.run(signalling: context.started)
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<StartContext>.fromOpaque(context).release()
            Glibc.close(wakeup)
            Glibc.close(epoll)
            throw IOError(errnoCode: created, reason: "pthread_create")
        }
        pthread_detach(thread)
        started.wait()
    }

    private final class StartContext {
        let loop: SocketEventLoop
        let started: DispatchSemaphore
        init(loop: SocketEventLoop, started: DispatchSemaphore) {
            self.loop = loop
            self.started = started
        }
    }

    // MARK: EventLoop

    public var inEventLoop: Bool { pthread_equal(pthread_self(), loopThread) != 0 }

    public func execute(_ task: @escaping @Sendable () -> Void) {
        enqueue(task)
    }

    public func _executeIsolatedUnsafeUnchecked(_ task: @escaping () -> Void) {
        enqueue(task)
    }

    @discardableResult
    public func scheduleTask<T>(deadline: NIODeadline, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        let promise = makePromise(of: T.self)
        let id = lock.withLock { () -> UInt64 in
            nextTimerID += 1
            return nextTimerID
        }
        let timer = Timer(
            id: id, deadline: deadline,
            fire: {
                do { promise.assumeIsolated().succeed(try task()) } catch { promise.fail(error) }
            },
            fail: { promise.fail($0) })
        if !enqueue({ [self] in timers.append(timer) }) {
            promise.fail(EventLoopError.shutdown)
        }
        return Scheduled(promise: promise) { [self] in
            enqueue { [self] in
                guard let index = timers.firstIndex(where: { $0.id == id }) else { return }
                timers.remove(at: index).fail(.cancelled)
            }
        }
    }

    @discardableResult
    public func scheduleTask<T>(in delay: TimeAmount, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        scheduleTask(deadline: .now() + delay, task)
    }

    /// Stops the loop once the tasks already submitted have run: closes the sockets still open,
    /// fails the scheduled tasks still waiting, then calls `callback` on `queue`.
    public func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable (Error?) -> Void) {
        let wake = lock.withLock { () -> Bool in
            switch state {
            case .running:
                state = .stopping(callbacks: [(queue, callback)])
            case .stopping(let callbacks):
                state = .stopping(callbacks: callbacks + [(queue, callback)])
                return false
            case .stopped:
                queue.async { callback(nil) }
                return false
            }
            return markWakeupPending()
        }
        if wake { signalWakeup() }
    }

    public var description: String { "SocketEventLoop(\(name))" }

    // MARK: Sockets

    /// Watches `socket` for input; ``watch(descriptor:readable:writable:)`` changes that.
    func register(_ socket: any LoopSocket, descriptor: CInt) throws {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = UInt64(descriptor)
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw IOError(errnoCode: errno, reason: "epoll_ctl")
        }
        sockets[descriptor] = socket
    }

    /// Sets what `epoll` reports for `descriptor`: input when `readable`, room in the send
    /// buffer when `writable`.
    func watch(descriptor: CInt, readable: Bool = true, writable: Bool) {
        var event = epoll_event()
        event.events = (readable ? EPOLLIN.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
        event.data.u64 = UInt64(descriptor)
        _ = epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event)
    }

    /// Stops watching `descriptor` and closes it.
    func close(descriptor: CInt) {
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
        sockets[descriptor] = nil
        Glibc.close(descriptor)
    }

    // MARK: The loop

    /// Queues `task` to run on the loop; answers false, dropping it, once the loop has stopped.
    @discardableResult
    private func enqueue(_ task: @escaping () -> Void) -> Bool {
        let (accepted, wake) = lock.withLock { () -> (Bool, Bool) in
            if case .stopped = state { return (false, false) }
            submitted.append(task)
            return (true, markWakeupPending())
        }
        if wake { signalWakeup() }
        return accepted
    }

    /// Whether the caller must write to the eventfd: the loop may be blocked in `epoll_wait`.
    /// Called with `lock` held.
    private func markWakeupPending() -> Bool {
        guard !wakeupPending else { return false }
        wakeupPending = true
        return !inEventLoop
    }

    private func signalWakeup() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeup, &one, MemoryLayout<UInt64>.size)
    }

    private func run(signalling started: DispatchSemaphore) {
        loopThread = pthread_self()
        CLinuxIO_nameThisThread(name)
        started.signal()
        var events = [epoll_event](repeating: epoll_event(), count: Int(Self.eventsPerWait))
        while true {
            let ready = epoll_wait(epoll, &events, Self.eventsPerWait, waitTimeout())
            for index in 0..<max(Int(ready), 0) {
                let event = events[index]
                if event.data.u64 == Self.wakeupToken {
                    var count: UInt64 = 0
                    _ = Glibc.read(wakeup, &count, MemoryLayout<UInt64>.size)
                } else {
                    sockets[CInt(truncatingIfNeeded: event.data.u64)]?.handle(events: event.events)
                }
            }
            runDueTimers()
            if runSubmittedTasks() {
                stop()
                return
            }
        }
    }

    /// Milliseconds `epoll_wait` may block: none while tasks wait or the loop is stopping, up to
    /// the next timer, or forever (-1).
    private func waitTimeout() -> CInt {
        let busy = lock.withLock { () -> Bool in
            if case .stopping = state { return true }
            return !submitted.isEmpty
        }
        if busy { return 0 }
        guard let next = nextDeadline() else { return -1 }
        let nanoseconds = next.uptimeNanoseconds.subtractingReportingOverflow(NIODeadline.now().uptimeNanoseconds)
        guard !nanoseconds.overflow else { return 0 }
        return CInt(min((nanoseconds.partialValue + 999_999) / 1_000_000, UInt64(CInt.max)))
    }

    private func nextDeadline() -> NIODeadline? {
        var next: NIODeadline?
        for timer in timers where next.map({ timer.deadline < $0 }) ?? true {
            next = timer.deadline
        }
        return next
    }

    private func runDueTimers() {
        guard let next = nextDeadline() else { return }
        let now = NIODeadline.now()
        guard next <= now else { return }
        let due = timers.filter { $0.deadline <= now }
        timers.removeAll { $0.deadline <= now }
        for timer in due.sorted(by: { $0.deadline < $1.deadline }) {
            timer.fire()
        }
    }

    /// Runs what was submitted; answers whether the loop was asked to stop and has nothing left to run.
    private func runSubmittedTasks() -> Bool {
        let (tasks, stopping) = lock.withLock { () -> ([() -> Void], Bool) in
            // Taking the array whole, rather than copying and emptying it, allocates nothing when
            // there was nothing to run: the usual case, once per datagram batch.
            var tasks: [() -> Void] = []
            swap(&tasks, &submitted)
            wakeupPending = false
            if case .stopping = state { return (tasks, tasks.isEmpty) }
            return (tasks, false)
        }
        for task in tasks {
            task()
        }
        return stopping
    }

    private func stop() {
        for socket in Array(sockets.values) {
            socket.close()
        }
        let pending = timers
        timers.removeAll()
        for timer in pending {
            timer.fail(.shutdown)
        }
        let callbacks = lock.withLock { () -> [(DispatchQueue, @Sendable (Error?) -> Void)] in
            guard case .stopping(let callbacks) = state else { return [] }
            state = .stopped
            submitted.removeAll()
            return callbacks
        }
        Glibc.close(wakeup)
        Glibc.close(epoll)
        for (queue, callback) in callbacks {
            queue.async { callback(nil) }
        }
    }
}
