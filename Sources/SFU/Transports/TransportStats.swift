import NIOCore

/// One transport's `getStats()` entry with mediasoup's field names (§4.15); fields that do not
/// apply to a transport type are left out of the JSON.
public struct TransportStats: Sendable, Hashable, Codable {
    public var type: String
    public var transportId: String
    public var timestamp: Int
    public var bytesReceived: Int
    public var bytesSent: Int
    public var rtpBytesReceived: Int
    public var rtpBytesSent: Int
    public var rtxBytesSent: Int
    public var rtcpBytesReceived: Int
    public var rtcpBytesSent: Int
    public var iceRole: String?
    public var iceState: IceState?
    public var iceSelectedTuple: TransportTupleDescription?
    public var dtlsState: DtlsState?
    public var rtcpMux: Bool?
    public var comedia: Bool?
    public var tuple: TransportTupleDescription?
    public var rtcpTuple: TransportTupleDescription?

    init(type: String, transportId: String, counters: TransportCounters) {
        self.type = type
        self.transportId = transportId
        self.timestamp = Int(NIODeadline.now().uptimeNanoseconds / 1_000_000)
        self.bytesReceived = counters.bytesReceived
        self.bytesSent = counters.bytesSent
        self.rtpBytesReceived = counters.rtpBytesReceived
        self.rtpBytesSent = counters.rtpBytesSent
        self.rtxBytesSent = counters.rtxBytesSent
        self.rtcpBytesReceived = counters.rtcpBytesReceived
        self.rtcpBytesSent = counters.rtcpBytesSent
    }
}
