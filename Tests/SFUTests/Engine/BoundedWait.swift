/// Waiting for an outcome with a bound. Engine tests run over real loopback sockets and the
/// worker's own timers, so instead of sleeping fixed times they poll for what they expect.
enum BoundedWait {
    /// How often a condition is looked at.
    static let pollInterval = Duration.milliseconds(2)

    /// Checks `condition` until it holds or `timeout` passed (checking once more at the end);
    /// returns whether it held.
    @discardableResult
    static func until(timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await condition() { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: pollInterval)
        }
    }
}
