/// Slows down password guessing: after `maximumFailures` failed authentications for one
/// username from one IP within `window` seconds, that username's requests from that IP are
/// dropped until the window ends. Keyed by username too, so that failures forged from a
/// victim's address (UDP sources can be spoofed), or one stale client behind a shared NAT, lock
/// out no one else. Loop-confined: one per TURN core.
struct FailedAuthenticationLimiter {
    struct Source: Hashable {
        let ip: [UInt8]
        let username: String
    }

    let maximumFailures: Int
    let window: Int
    private var failures: [Source: (count: Int, windowEnd: Int)] = [:]

    init(maximumFailures: Int = 20, window: Int = 60) {
        self.maximumFailures = maximumFailures
        self.window = window
    }

    func isBlocked(_ source: Source, now: Int) -> Bool {
        guard let entry = failures[source] else { return false }
        return entry.count >= maximumFailures && entry.windowEnd > now
    }

    mutating func recordFailure(_ source: Source, now: Int) {
        if let entry = failures[source], entry.windowEnd > now {
            failures[source] = (entry.count + 1, entry.windowEnd)
        } else {
            failures[source] = (1, now + window)
        }
    }

    mutating func removeExpired(now: Int) {
        failures = failures.filter { $0.value.windowEnd > now }
    }
}
