import NIOCore

/// mediasoup's `setMaxIncomingBitrate`: a transport tells the senders of its producers, in a
/// REMB every 1.5 s, to send no more than the limit in all. Browsers cap their own send-side
/// estimate at the latest REMB. Lifting the limit is announced as a REMB of 0 ("no limit")
/// four times, in case some are lost.
struct IncomingBitrateLimit {
    static let interval = TimeAmount.milliseconds(1500)
    static let liftAnnouncements = 4

    /// Bits per second; 0 is no limit.
    private(set) var bitrate = 0
    private var liftAnnouncementsLeft = 0
    private var lastAnnounced: NIODeadline?

    mutating func set(_ bitrate: Int) {
        if self.bitrate != 0, bitrate == 0 {
            liftAnnouncementsLeft = Self.liftAnnouncements
            lastAnnounced = nil
        } else if bitrate != 0 {
            liftAnnouncementsLeft = 0
            // A new limit is announced at once.
            if bitrate != self.bitrate { lastAnnounced = nil }
        }
        self.bitrate = bitrate
    }

    /// The bitrate to announce now, if an announcement is due; it is then taken as sent.
    mutating func announcement(now: NIODeadline) -> Int? {
        guard bitrate != 0 || liftAnnouncementsLeft > 0 else { return nil }
        if let lastAnnounced, now - lastAnnounced < Self.interval { return nil }
        lastAnnounced = now
        if bitrate == 0 { liftAnnouncementsLeft -= 1 }
        return bitrate
    }
}
