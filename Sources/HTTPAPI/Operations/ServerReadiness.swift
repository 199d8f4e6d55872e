import Synchronization

/// Whether the server should receive new work: `/readyz` answers from it and the signaling faces
/// refuse new rooms and peers once it is draining. Safe to read from any thread.
public final class ServerReadiness: Sendable {
    public enum State: Int, Sendable {
        /// Listeners are not bound yet.
        case starting
        case ready
        /// Shutting down: existing sessions continue, new ones are refused.
        case draining
    }

    private let rawState = Atomic<Int>(State.starting.rawValue)
    private let unboundListeners: Atomic<Int>

    /// - Parameter listeners: how many listeners must report `listenerBound()` before ready.
    public init(listeners: Int = 1) {
        unboundListeners = Atomic(listeners)
    }

    public var state: State { State(rawValue: rawState.load(ordering: .acquiring)) ?? .starting }

    /// Called by each listener once bound; the last one makes the server ready, unless
    /// draining began already.
    public func listenerBound() {
        guard unboundListeners.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
        _ = rawState.compareExchange(
            expected: State.starting.rawValue, desired: State.ready.rawValue, ordering: .acquiringAndReleasing)
    }

    public func beginDraining() {
        rawState.store(State.draining.rawValue, ordering: .releasing)
    }
}
