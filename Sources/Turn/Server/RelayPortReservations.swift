import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Relay ports held back for a later allocation: an Allocate with EVEN-PORT's R bit gets an
/// even port and holds the next one under a RESERVATION-TOKEN, which the Allocate for the RTCP
/// relay then presents (RFC 8656 §7.1, §14.9). A held port is a bound socket that no loop reads
/// yet, so whichever loop the second client lands on can adopt it. Shared by every loop.
final class RelayPortReservations: Sendable {
    /// How long a port stays held (RFC 8656 §7.2: "about 30 seconds").
    static let lifetime = 30
    /// Ports held at once, by one user and in all: a held port counts in no allocation quota,
    /// so without a bound a client that allocates and releases in a loop would hold the range.
    static let maximumPerHolder = 8
    static let maximumHeld = 1024

    private struct Held {
        let descriptor: CInt
        let expiry: Int
        let holder: String
    }

    private let held = Mutex<[UInt64: Held]>([:])

    /// Holds the bound socket `descriptor` for `token`, on behalf of `holder`, until
    /// `now + lifetime`; false (nothing held) when the holder or the server holds the most it may.
    func hold(_ descriptor: CInt, for token: UInt64, holder: String, now: Int) -> Bool {
        closeExpired(now: now)
        let (accepted, replaced) = held.withLock { held -> (Bool, Held?) in
            guard held.count < Self.maximumHeld,
                held.values.lazy.filter({ $0.holder == holder }).count < Self.maximumPerHolder
            else { return (false, nil) }
            return (true, held.updateValue(Held(descriptor: descriptor, expiry: now + Self.lifetime, holder: holder), forKey: token))
        }
        if let replaced { Glibc.close(replaced.descriptor) }
        return accepted
    }

    /// The socket held for `token`, handed over (the caller closes it); nil when none is held or
    /// its time ran out.
    func take(_ token: UInt64, now: Int) -> CInt? {
        guard let taken = held.withLock({ $0.removeValue(forKey: token) }) else { return nil }
        guard taken.expiry > now else {
            Glibc.close(taken.descriptor)
            return nil
        }
        return taken.descriptor
    }

    /// Closes the sockets whose time ran out by `now` (every socket with `now` = `.max`).
    func closeExpired(now: Int) {
        let expired = held.withLock { held in
            let expired = held.filter { $0.value.expiry <= now }
            for token in expired.keys { held[token] = nil }
            return Array(expired.values)
        }
        for socket in expired { Glibc.close(socket.descriptor) }
    }

    var count: Int { held.withLock { $0.count } }
}
