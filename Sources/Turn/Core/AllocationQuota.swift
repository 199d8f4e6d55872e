import Synchronization

/// Caps allocations per user and in total, across every event loop of the TURN server.
/// Taken only when an allocation is created or removed, never per packet.
public final class AllocationQuota: Sendable {
    public enum Reservation: Sendable, Equatable {
        case granted
        /// The user has `perUser` allocations already: 486 Allocation Quota Reached.
        case userQuotaReached
        /// The server has `total` allocations: 508 Insufficient Capacity.
        case serverFull
    }

    /// Zero means no limit, as in coturn.
    public let perUser: Int
    /// Zero means no limit.
    public let total: Int
    private let counts = Mutex<(byUser: [String: Int], total: Int)>(([:], 0))

    public init(perUser: Int, total: Int) {
        self.perUser = perUser
        self.total = total
    }

    public func reserve(for user: String) -> Reservation {
        counts.withLock { counts in
            if total > 0, counts.total >= total { return .serverFull }
            if perUser > 0, counts.byUser[user, default: 0] >= perUser { return .userQuotaReached }
            counts.total += 1
            counts.byUser[user, default: 0] += 1
            return .granted
        }
    }

    public func release(for user: String) {
        counts.withLock { counts in
            guard let current = counts.byUser[user] else { return }
            counts.total -= 1
            counts.byUser[user] = current > 1 ? current - 1 : nil
        }
    }

    public var current: Int { counts.withLock { $0.total } }
}
