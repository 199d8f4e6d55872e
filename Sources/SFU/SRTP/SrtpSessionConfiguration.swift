/// Tunables of an SRTP session; the defaults match mediasoup's libsrtp policy.
public struct SrtpSessionConfiguration: Sendable, Hashable {
    /// Inbound SRTP replay window in packets: a power of two in 64...16384 (libsrtp refuses
    /// 32768). mediasoup and libsrtp use 128. (The SRTCP window is always 128, as libsrtp's.)
    public var replayWindowSize: Int

    /// After this many consecutive RTP failures on one inbound stream, each further failing
    /// packet is also tried with the rollover counter after the estimated one, so a stream
    /// that lost more than 2^15 packets in a row re-synchronises instead of failing forever.
    /// 0 disables the retry. Ignored by the libsrtp backend.
    public var rolloverRecoveryThreshold: Int

    public init(replayWindowSize: Int = 128, rolloverRecoveryThreshold: Int = 4) {
        self.replayWindowSize = replayWindowSize
        self.rolloverRecoveryThreshold = rolloverRecoveryThreshold
    }

    func validate() throws(SrtpConfigurationError) {
        let size = replayWindowSize
        guard size >= 64, size <= 16384, size & (size - 1) == 0 else { throw .invalidReplayWindowSize(size) }
    }
}
