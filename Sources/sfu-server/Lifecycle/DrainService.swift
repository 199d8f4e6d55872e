import HTTPAPI
import Logging
import ServiceLifecycle
import UnixSignals

/// Graceful shutdown as operators expect it: on SIGTERM the server stops taking new rooms and
/// peers (`/readyz` answers 503), lets existing sessions finish for up to the drain timeout,
/// then returns, which shuts the rest of the service group down. SIGINT does the same with at
/// most `interruptTimeout`. A second signal ends the drain at once.
struct DrainService: Service {
    let readiness: ServerReadiness
    let drainTimeout: Duration
    let interruptTimeout: Duration
    /// Sessions (peers and broadcasters) still connected.
    let activeSessions: @Sendable () async -> Int
    let logger: Logger
    var pollInterval: Duration = .milliseconds(200)
    var signals: [UnixSignal] = [.sigterm, .sigint]

    func run() async throws {
        let received = await UnixSignalsSequence(trapping: signals)
        var iterator = received.makeAsyncIterator()
        guard let signal = await iterator.next() else { return }
        let timeout = signal == .sigint ? min(drainTimeout, interruptTimeout) : drainTimeout
        readiness.beginDraining()
        let sessions = await activeSessions()
        logger.notice(
            "draining before shutdown",
            metadata: ["signal": "\(signal)", "sessions": "\(sessions)", "timeout": "\(timeout)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await waitForSessionsToEnd(timeout: timeout) }
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: signals) { return }
            }
            _ = await group.next()
            group.cancelAll()
        }
        let remaining = await activeSessions()
        logger.notice("drain finished, shutting down", metadata: ["sessions": "\(remaining)"])
    }

    private func waitForSessionsToEnd(timeout: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while await activeSessions() > 0, clock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
        }
    }
}
