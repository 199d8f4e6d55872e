/// Slows down password guessing: after `maximumFailures` failed authentications from one IP
/// within `window` seconds, requests from that IP are dropped until the window ends.
/// Loop-confined: one per TURN core.
struct FailedAuthenticationLimiter {
    let maximumFailures: Int
    let window: Int
    private var failures: [[UInt8]: (count: Int, windowEnd: Int)] = [:]

    init(maximumFailures: Int = 20, window: Int = 60) {
        self.maximumFailures = maximumFailures
        self.window = window
    }

    func isBlocked(_ ip: [UInt8], now: Int) -> Bool {
        guard let entry = failures[ip] else { return false }
        return entry.count >= maximumFailures && entry.windowEnd > now
    }

    mutating func recordFailure(_ ip: [UInt8], now: Int) {
        if let entry = failures[ip], entry.windowEnd > now {
            failures[ip] = (entry.count + 1, entry.windowEnd)
        } else {
            failures[ip] = (1, now + window)
        }
    }

    mutating func removeExpired(now: Int) {
        failures = failures.filter { $0.value.windowEnd > now }
    }
}
