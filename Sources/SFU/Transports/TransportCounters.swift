import NIOCore

/// Byte, bitrate and drop counters of one transport, for `getStats()` and metrics, split as
/// mediasoup splits them: all RTP and RTCP, media RTP, and retransmissions (RTX or resends).
struct TransportCounters: Sendable {
    private(set) var bytesReceived = 0
    private(set) var bytesSent = 0
    private(set) var rtpBytesReceived = 0
    private(set) var rtpBytesSent = 0
    private(set) var rtxBytesReceived = 0
    private(set) var rtxBytesSent = 0
    private(set) var rtcpBytesReceived = 0
    private(set) var rtcpBytesSent = 0
    private var receiveRate = RateCalculator()
    private var rtpReceiveRate = RateCalculator()
    private var rtxReceiveRate = RateCalculator()
    /// The send bitrate is the sum of these three: one update per packet sent, not two.
    private var rtpSendRate = RateCalculator()
    private var rtxSendRate = RateCalculator()
    private var rtcpSendRate = RateCalculator()
    /// Packets that could not be parsed or matched to a producer.
    var droppedRtp = 0
    var droppedRtcp = 0
    /// Datagrams that failed SRTP/SRTCP authentication or decryption.
    var srtpFailures = 0
    /// Datagrams from an unvalidated source or of an unknown kind.
    var droppedDatagrams = 0

    /// An RTP packet arrived (decrypted); it counts as media or retransmission once its
    /// producer took it.
    mutating func received(rtpBytes: Int, now: NIODeadline) {
        bytesReceived += rtpBytes
        receiveRate.update(bytes: rtpBytes, now: now)
    }

    /// A received RTP packet went to a producer as media or as a retransmission.
    mutating func accepted(rtpBytes: Int, isRetransmission: Bool, now: NIODeadline) {
        if isRetransmission {
            rtxBytesReceived += rtpBytes
            rtxReceiveRate.update(bytes: rtpBytes, now: now)
        } else {
            rtpBytesReceived += rtpBytes
            rtpReceiveRate.update(bytes: rtpBytes, now: now)
        }
    }

    mutating func received(rtcpBytes: Int, now: NIODeadline) {
        bytesReceived += rtcpBytes
        rtcpBytesReceived += rtcpBytes
        receiveRate.update(bytes: rtcpBytes, now: now)
    }

    mutating func sent(rtpBytes: Int, isRetransmission: Bool, now: NIODeadline) {
        bytesSent += rtpBytes
        if isRetransmission {
            rtxBytesSent += rtpBytes
            rtxSendRate.update(bytes: rtpBytes, now: now)
        } else {
            rtpBytesSent += rtpBytes
            rtpSendRate.update(bytes: rtpBytes, now: now)
        }
    }

    mutating func sent(rtcpBytes: Int, now: NIODeadline) {
        bytesSent += rtcpBytes
        rtcpBytesSent += rtcpBytes
        rtcpSendRate.update(bytes: rtcpBytes, now: now)
    }

    /// Bits per second over the last second at `now`.
    func recvBitrate(now: NIODeadline) -> UInt32 { receiveRate.rate(now: now) }
    func sendBitrate(now: NIODeadline) -> UInt32 {
        [rtpSendRate, rtxSendRate, rtcpSendRate].reduce(0) { sum, rate in
            let (total, overflow) = sum.addingReportingOverflow(rate.rate(now: now))
            return overflow ? .max : total
        }
    }
    func rtpRecvBitrate(now: NIODeadline) -> UInt32 { rtpReceiveRate.rate(now: now) }
    func rtpSendBitrate(now: NIODeadline) -> UInt32 { rtpSendRate.rate(now: now) }
    func rtxRecvBitrate(now: NIODeadline) -> UInt32 { rtxReceiveRate.rate(now: now) }
    func rtxSendBitrate(now: NIODeadline) -> UInt32 { rtxSendRate.rate(now: now) }
}
