/// Statistics of a producer's received RTP stream, with the field names of mediasoup's
/// `RtpStreamRecvStats` (`producer.getStats()`), as ``RtpStreamRecv/stats(now:)`` reports them.
///
/// Counts are cumulative since the stream started; rates are bits per second.
public struct RtpInboundStreamStats: Codable, Sendable, Equatable {
    /// Always `"inbound-rtp"`.
    public var type: String = "inbound-rtp"
    /// Monotonic milliseconds when the stats were taken.
    public var timestamp: Int
    public var ssrc: UInt32
    public var rtxSsrc: UInt32?
    public var rid: String?
    /// `"audio"` or `"video"`.
    public var kind: String
    public var mimeType: String
    /// Expected minus received packets (negative when duplicates outnumber losses).
    public var packetsLost: Int
    /// Loss in the last receiver report interval, in 1/256 units.
    public var fractionLost: UInt8
    /// Packets refused by sequence number validation.
    public var packetsDiscarded: Int
    public var packetsRetransmitted: Int
    public var packetsRepaired: Int
    /// NACK packets sent to the producer, and the sequence numbers they asked for.
    public var nackCount: Int
    public var nackPacketCount: Int
    /// PLI and FIR packets sent to the producer.
    public var pliCount: Int
    public var firCount: Int
    /// 0–10.
    public var score: UInt8
    /// Milliseconds; 0 until measured (mediasoup reports it always).
    public var roundTripTime: Double
    /// RTX packets refused by the RTX stream's sequence number validation; present with RTX.
    public var rtxPacketsDiscarded: Int?
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    public var packetCount: Int
    public var byteCount: Int
    public var bitrate: UInt32
    /// Cumulative bitrate per layer, keyed `"<spatial>.<temporal>"`; empty for a stream without
    /// layers.
    public var bitrateByLayer: [String: UInt32]
}
