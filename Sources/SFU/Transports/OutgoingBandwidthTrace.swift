/// mediasoup's `bwe` trace of a transport's outgoing bandwidth estimate (direction `out`),
/// which mediasoup-demo passes on to the peer as `downlinkBwe`. Bits per second.
public struct OutgoingBandwidthTrace: Sendable, Hashable, Codable {
    /// What the transport's consumers would send with no limit.
    public var desiredBitrate: Int
    /// The desired bitrate, following rises at once and falls by 5% a second.
    public var effectiveDesiredBitrate: Int
    /// The estimate: what the transport may send.
    public var availableBitrate: Int

    public init(desiredBitrate: Int, effectiveDesiredBitrate: Int, availableBitrate: Int) {
        self.desiredBitrate = desiredBitrate
        self.effectiveDesiredBitrate = effectiveDesiredBitrate
        self.availableBitrate = availableBitrate
    }
}
