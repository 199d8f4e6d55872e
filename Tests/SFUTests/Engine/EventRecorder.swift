import Synchronization

/// Reads an engine object's event stream from the moment it is made, so a test can look at
/// what was reported so far and wait, with a bound, for something to be reported.
final class EventRecorder<Event: Sendable>: Sendable {
    private struct State {
        var events: [Event] = []
        var finished = false
    }

    private let state = Mutex(State())

    init(_ stream: AsyncStream<Event>) {
        Task { [self] in
            for await event in stream { state.withLock { $0.events.append(event) } }
            state.withLock { $0.finished = true }
        }
    }

    var events: [Event] { state.withLock { $0.events } }

    /// Whether the stream ended (the object closed).
    var isFinished: Bool { state.withLock { $0.finished } }

    /// Waits until `condition` holds for the events so far, or `timeout` passed; returns
    /// whether it held.
    @discardableResult
    func wait(timeout: Duration = .seconds(3), until condition: ([Event]) -> Bool) async -> Bool {
        await BoundedWait.until(timeout: timeout) { condition(events) }
    }

    /// Waits until the stream ended, or `timeout` passed; returns whether it ended.
    @discardableResult
    func waitForFinish(timeout: Duration = .seconds(3)) async -> Bool {
        await BoundedWait.until(timeout: timeout) { isFinished }
    }
}
