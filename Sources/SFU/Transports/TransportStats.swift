import NIOCore

/// One transport's `getStats()` entry with mediasoup's field names (§4.15); fields that do not
/// apply to a transport type are left out of the JSON. Bytes are cumulative; bitrates are bits
/// per second over the last second. Retransmissions count under `rtx*`, not `rtp*`.
public struct TransportStats: Sendable, Hashable, Codable {
    public var type: String
    public var transportId: String
    /// Monotonic milliseconds when the stats were taken.
    public var timestamp: Int
    public var bytesReceived: Int
    public var recvBitrate: UInt32
    public var bytesSent: Int
    public var sendBitrate: UInt32
    public var rtpBytesReceived: Int
    public var rtpRecvBitrate: UInt32
    public var rtpBytesSent: Int
    public var rtpSendBitrate: UInt32
    public var rtxBytesReceived: Int
    public var rtxRecvBitrate: UInt32
    public var rtxBytesSent: Int
    public var rtxSendBitrate: UInt32
    /// Padding sent to probe the outgoing bandwidth (counted under `rtx*` as well).
    public var probationBytesSent: Int
    public var probationSendBitrate: UInt32
    public var rtcpBytesReceived: Int
    public var rtcpBytesSent: Int
    /// Set with ``Transport/setMaxIncomingBitrate(_:)``; absent when there is no limit.
    public var maxIncomingBitrate: Int?
    /// The outgoing bandwidth estimate; present once a video consumer negotiated transport-cc.
    public var availableOutgoingBitrate: Int?
    /// Set with ``Transport/setMaxOutgoingBitrate(_:)``; absent when there is no cap.
    public var maxOutgoingBitrate: Int?
    /// The SCTP association's state, on transports with SCTP.
    public var sctpState: SctpAssociationState?
    public var iceRole: String?
    public var iceState: IceState?
    public var iceSelectedTuple: TransportTupleDescription?
    public var dtlsState: DtlsState?
    public var rtcpMux: Bool?
    public var comedia: Bool?
    public var tuple: TransportTupleDescription?
    public var rtcpTuple: TransportTupleDescription?

    init(type: String, transportId: String, counters: TransportCounters, maxIncomingBitrate: Int = 0, now: NIODeadline = .now()) {
        self.type = type
        self.transportId = transportId
        self.timestamp = Int(now.uptimeNanoseconds / 1_000_000)
        self.bytesReceived = counters.bytesReceived
        self.recvBitrate = counters.recvBitrate(now: now)
        self.bytesSent = counters.bytesSent
        self.sendBitrate = counters.sendBitrate(now: now)
        self.rtpBytesReceived = counters.rtpBytesReceived
        self.rtpRecvBitrate = counters.rtpRecvBitrate(now: now)
        self.rtpBytesSent = counters.rtpBytesSent
        self.rtpSendBitrate = counters.rtpSendBitrate(now: now)
        self.rtxBytesReceived = counters.rtxBytesReceived
        self.rtxRecvBitrate = counters.rtxRecvBitrate(now: now)
        self.rtxBytesSent = counters.rtxBytesSent
        self.rtxSendBitrate = counters.rtxSendBitrate(now: now)
        self.probationBytesSent = 0
        self.probationSendBitrate = 0
        self.rtcpBytesReceived = counters.rtcpBytesReceived
        self.rtcpBytesSent = counters.rtcpBytesSent
        self.maxIncomingBitrate = maxIncomingBitrate == 0 ? nil : maxIncomingBitrate
    }
}
