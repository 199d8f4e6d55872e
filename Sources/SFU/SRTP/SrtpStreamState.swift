/// What an SRTP session remembers about one SSRC: the RTP index and replay window, the SRTCP
/// index (sent) or replay window (received), consecutive failures, and counters.
///
/// A reference type so the session mutates it in place after one dictionary lookup. Created
/// only for SSRCs we send, or whose first packet authenticated, so forged packets with random
/// SSRCs cannot grow the session.
final class SrtpStreamState {
    /// Outbound: the highest RTP index sent (for the ROC). Inbound: the replay window.
    var rtpWindow: SrtpReplayWindow
    /// Inbound SRTCP replay window (libsrtp's is fixed at 128).
    var rtcpWindow: SrtpReplayWindow
    /// Outbound: the last SRTCP index used; the first packet goes out with index 1, as
    /// libsrtp's `srtp_rdb_increment` numbers them.
    var rtcpLastSentIndex: UInt32 = 0
    /// Inbound: RTP packets in a row that failed (authentication, replay, too old) since the
    /// last success. Reaching the session's threshold enables trying ROC + 1.
    var consecutiveRtpFailures = 0
    var statistics = SrtpStreamStatistics()
    /// The session's use count when the stream was last looked up: the least recent makes room
    /// for a new SSRC.
    var lastUse: UInt64 = 0

    init(replayWindowSize: Int) {
        rtpWindow = SrtpReplayWindow(size: replayWindowSize)
        rtcpWindow = SrtpReplayWindow(size: SrtpReplayWindow.defaultSize)
    }
}
