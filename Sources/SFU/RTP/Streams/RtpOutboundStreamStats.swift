/// Statistics of a consumer's sent RTP stream, with the field names of mediasoup's
/// `RtpStreamSendStats` (`consumer.getStats()`), as ``RtpStreamSend/stats(now:)`` reports them.
///
/// Loss figures come from the receiver's last report; counts are cumulative; rates are bits
/// per second.
public struct RtpOutboundStreamStats: Codable, Sendable, Equatable {
    /// Always `"outbound-rtp"`.
    public var type: String = "outbound-rtp"
    /// Monotonic milliseconds when the stats were taken.
    public var timestamp: Int
    public var ssrc: UInt32
    public var rtxSsrc: UInt32?
    public var rid: String?
    /// `"audio"` or `"video"`.
    public var kind: String
    public var mimeType: String
    /// Cumulative loss the receiver reported.
    public var packetsLost: Int
    /// Loss in the receiver's last report interval, in 1/256 units.
    public var fractionLost: UInt8
    public var packetsDiscarded: Int
    public var packetsRetransmitted: Int
    public var packetsRepaired: Int
    /// NACK packets received, and the sequence numbers they asked for.
    public var nackCount: Int
    public var nackPacketCount: Int
    /// PLI and FIR packets received.
    public var pliCount: Int
    public var firCount: Int
    /// 0–10.
    public var score: UInt8
    /// Milliseconds; 0 until measured (mediasoup reports it always).
    public var roundTripTime: Double
    /// Part of mediasoup's base shape; always absent here, as a send stream receives no RTX.
    public var rtxPacketsDiscarded: Int?
    public var packetCount: Int
    public var byteCount: Int
    public var bitrate: UInt32
}
