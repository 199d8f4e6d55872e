/// One direction of an allocation's relay bandwidth cap (coturn's `max-bps`): at most `limit`
/// payload bytes per second; what goes beyond in a second is dropped. Seconds are the core's
/// clock ticks, so a burst may take the whole second's allowance at once.
struct RelayBandwidthLimit {
    private var second = 0
    private var bytes = 0

    /// Whether `size` more bytes fit in second `now` under `limit`; counts them when they do.
    mutating func admits(_ size: Int, limit: Int, now: Int) -> Bool {
        if now != second {
            second = now
            bytes = 0
        }
        guard bytes + size <= limit else { return false }
        bytes += size
        return true
    }
}
