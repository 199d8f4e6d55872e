/// Byte and drop counters of one transport, for `getStats()` and metrics.
struct TransportCounters: Sendable {
    var bytesReceived = 0
    var bytesSent = 0
    var rtpBytesReceived = 0
    var rtpBytesSent = 0
    var rtxBytesSent = 0
    var rtcpBytesReceived = 0
    var rtcpBytesSent = 0
    /// Packets that could not be parsed or matched to a producer.
    var droppedRtp = 0
    var droppedRtcp = 0
    /// Datagrams that failed SRTP/SRTCP authentication or decryption.
    var srtpFailures = 0
    /// Datagrams from an unvalidated source or of an unknown kind.
    var droppedDatagrams = 0

    mutating func received(rtpBytes: Int) {
        bytesReceived += rtpBytes
        rtpBytesReceived += rtpBytes
    }

    mutating func received(rtcpBytes: Int) {
        bytesReceived += rtcpBytes
        rtcpBytesReceived += rtcpBytes
    }

    mutating func sent(rtpBytes: Int, isRetransmission: Bool) {
        bytesSent += rtpBytes
        rtpBytesSent += rtpBytes
        if isRetransmission { rtxBytesSent += rtpBytes }
    }

    mutating func sent(rtcpBytes: Int) {
        bytesSent += rtcpBytes
        rtcpBytesSent += rtcpBytes
    }
}
