import NIOCore

/// The send side of one consumer stream: statistics, the retransmission buffer and RTCP, as
/// mediasoup's `RtpStreamSend`.
///
/// Every packet sent is counted and, with NACK enabled, stored (already rewritten, before
/// SRTP) so NACKs can be answered, through the RTX stream when there is one. Sender reports
/// are built on demand; receiver reports from the consumer's endpoint give the round-trip
/// time, the loss it saw, and the score (0–10), recomputed at each report.
public struct RtpStreamSend: Sendable {
    /// What the stream is, from the consumer's RTP parameters.
    public struct Parameters: Sendable, Equatable {
        public var ssrc: UInt32
        public var rid: String?
        /// `"audio"` or `"video"`; sets how old a packet may be and still be resent.
        public var kind: String
        public var mimeType: String
        /// In Hz.
        public var clockRate: UInt32
        /// The endpoint NACKs losses: sent packets are kept for retransmission.
        public var useNack: Bool

        public init(
            ssrc: UInt32, rid: String? = nil, kind: String, mimeType: String, clockRate: UInt32,
            useNack: Bool = false
        ) {
            self.ssrc = ssrc
            self.rid = rid
            self.kind = kind
            self.mimeType = mimeType
            self.clockRate = clockRate
            self.useNack = useNack
        }
    }

    /// A key frame request received from the endpoint.
    public enum KeyFrameRequest: Sendable, Equatable {
        case pictureLossIndication
        case fullIntraRequest
    }

    public let parameters: Parameters
    /// The RTX stream retransmissions go out on; nil to resend on the media stream itself.
    public private(set) var rtx: RtxSequencer?
    private var retransmissionBuffer: RtpRetransmissionBuffer
    private var rate = RateCalculator()
    private var scoreState = RtpStreamScore()

    /// Timestamp and send time of the newest packet (by timestamp), the anchor sender reports
    /// extrapolate from.
    private var maxPacketTimestamp: UInt32 = 0
    private var maxPacketSentAt: NIODeadline?

    private var sentPriorScore = 0
    private var lostPriorScore: Int32 = 0
    private var repairedPriorScore = 0
    private var retransmittedPriorScore = 0

    public private(set) var packetCount = 0
    /// Whole packet bytes (stats).
    public private(set) var byteCount = 0
    /// Payload bytes (the sender report's octet count, RFC 3550 §6.4.1).
    public private(set) var payloadByteCount = 0
    /// Loss the endpoint last reported.
    public private(set) var packetsLost = 0
    public private(set) var fractionLost: UInt8 = 0
    public private(set) var pliCount = 0
    public private(set) var firCount = 0
    /// From the last receiver report that carried LSR/DLSR.
    public private(set) var roundTripTime: TimeAmount?

    public init(parameters: Parameters, rtx: RtxSequencer? = nil) {
        self.parameters = parameters
        self.rtx = rtx
        self.retransmissionBuffer = RtpRetransmissionBuffer(
            maxRetransmissionDelay: parameters.kind == "audio"
                ? RtpRetransmissionBuffer.maxRetransmissionDelayForAudio
                : RtpRetransmissionBuffer.maxRetransmissionDelayForVideo,
            clockRate: parameters.clockRate)
    }

    /// The stream's score, 0–10.
    public var score: UInt8 { scoreState.score }

    /// Accounts for a packet sent on the media stream (`packet` as sent, rewritten). With
    /// `retransmissionSource`, the retransmission buffer keeps that packet (the router's, shared
    /// by every consumer) instead of a copy of `packet`, and ``receiveNack(_:now:restore:)``
    /// rebuilds the rest of the header.
    public mutating func sendPacket(_ packet: RtpPacket, retransmissionSource: RtpPacket? = nil, now: NIODeadline) {
        packetCount += 1
        byteCount += packet.size
        payloadByteCount += packet.payloadLength
        rate.update(bytes: packet.size, now: now)
        if maxPacketSentAt == nil || SeqManager.isSeqHigher(packet.timestamp, than: maxPacketTimestamp) {
            maxPacketTimestamp = packet.timestamp
            maxPacketSentAt = now
        }
        if parameters.useNack {
            retransmissionBuffer.insert(
                retransmissionSource ?? packet, sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp,
                now: now)
        }
    }

    /// Answers a NACK from the endpoint: the packets to send now, RTX-encapsulated when the
    /// stream has RTX. Counts the NACK and the retransmissions. `restore` rewrites a packet
    /// stored from a retransmission source into what was sent (its sequence number and
    /// timestamp are already back).
    public mutating func receiveNack(
        _ nack: GenericNack, now: NIODeadline, restore: (inout RtpPacket) -> Void = { _ in }
    ) -> [RtpPacket] {
        let packets = retransmissionBuffer.receiveNack(nack, now: now).map { stored in
            var packet = stored
            restore(&packet)
            return packet
        }
        guard var rtx else { return packets }
        defer { self.rtx = rtx }
        return packets.map { rtx.encapsulate($0) }
    }

    /// A padding-only packet on the RTX stream for a bandwidth probe, with the timestamp of the
    /// latest media packet; nil without RTX or before any media was sent.
    public mutating func rtxPaddingPacket(paddingLength: UInt8) -> RtpPacket? {
        guard var rtx, maxPacketSentAt != nil else { return nil }
        defer { self.rtx = rtx }
        return rtx.paddingPacket(timestamp: maxPacketTimestamp, paddingLength: paddingLength)
    }

    /// Counts a PLI or FIR from the endpoint (forwarding it to the producer is the caller's).
    public mutating func receiveKeyFrameRequest(_ request: KeyFrameRequest) {
        switch request {
        case .pictureLossIndication: pliCount += 1
        case .fullIntraRequest: firCount += 1
        }
    }

    /// Takes in the endpoint's report block about this stream.
    ///
    /// - Parameter ntpNow: the wall-clock time now as a 64-bit NTP timestamp; with the block's
    ///   LSR and DLSR it gives the round-trip time (RFC 3550 §6.4.1). A block without LSR or
    ///   DLSR keeps the previous RTT.
    public mutating func receiveReceiverReport(_ block: ReportBlock, ntpNow: UInt64) {
        let lastSenderReport = block.lastSenderReport
        let delay = block.delaySinceLastSenderReport
        if lastSenderReport != 0, delay != 0 {
            let rtt = RtpClock.compactNtp(ntpNow) &- lastSenderReport &- delay
            // A negative value (clock steps, a bogus report) means no usable measurement.
            if Int32(bitPattern: rtt) > 0 {
                roundTripTime = RtpClock.duration(compactNtp: rtt)
                retransmissionBuffer.roundTripTime = roundTripTime
            }
        }
        packetsLost = Int(block.totalLost)
        fractionLost = block.fractionLost
        updateScore(totalLost: block.totalLost)
    }

    /// The sender report for this stream at `now`, or nil before the first packet.
    ///
    /// - Parameter ntpNow: the wall-clock time now as a 64-bit NTP timestamp. The RTP timestamp
    ///   is the newest packet's, advanced by the time since it was sent.
    public func senderReport(now: NIODeadline, ntpNow: UInt64) -> SenderReport? {
        guard let maxPacketSentAt else { return nil }
        let elapsed = RtpClock.ticks(in: now - maxPacketSentAt, clockRate: parameters.clockRate)
        return SenderReport(
            ssrc: parameters.ssrc, ntpSeconds: UInt32(truncatingIfNeeded: ntpNow >> 32),
            ntpFraction: UInt32(truncatingIfNeeded: ntpNow),
            rtpTimestamp: maxPacketTimestamp &+ UInt32(truncatingIfNeeded: elapsed),
            packetCount: UInt32(truncatingIfNeeded: packetCount),
            octetCount: UInt32(truncatingIfNeeded: payloadByteCount))
    }

    /// The consumer paused: stored packets are no longer worth resending.
    public mutating func pause() {
        retransmissionBuffer.clear()
    }

    /// The bitrate sent over the last second at `now`, in bits per second.
    public func bitrate(now: NIODeadline) -> UInt32 {
        rate.rate(now: now)
    }

    /// The stream's statistics in mediasoup's shape.
    public func stats(now: NIODeadline) -> RtpOutboundStreamStats {
        RtpOutboundStreamStats(
            timestamp: RtpClock.milliseconds(at: now), ssrc: parameters.ssrc, rtxSsrc: rtx?.ssrc, rid: parameters.rid,
            kind: parameters.kind, mimeType: parameters.mimeType, packetsLost: packetsLost, fractionLost: fractionLost,
            packetsDiscarded: 0, packetsRetransmitted: retransmissionBuffer.packetsRetransmitted,
            packetsRepaired: retransmissionBuffer.packetsRepaired, nackCount: retransmissionBuffer.nackCount,
            nackPacketCount: retransmissionBuffer.nackPacketCount, pliCount: pliCount, firCount: firCount, score: score,
            roundTripTime: roundTripTime.map { Double($0.nanoseconds) / 1e6 } ?? 0, rtxPacketsDiscarded: nil,
            packetCount: packetCount, byteCount: byteCount, bitrate: bitrate(now: now))
    }

    /// mediasoup's interval score for a sent stream: the loss the endpoint reported since the
    /// previous report, offset by the retransmissions that repaired it.
    private mutating func updateScore(totalLost: Int32) {
        let sent = packetCount - sentPriorScore
        let totalLost = max(0, totalLost)
        let lost = totalLost < lostPriorScore ? 0 : totalLost - lostPriorScore
        let repaired = retransmissionBuffer.packetsRepaired - repairedPriorScore
        let retransmitted = retransmissionBuffer.packetsRetransmitted - retransmittedPriorScore
        sentPriorScore = packetCount
        lostPriorScore = totalLost
        repairedPriorScore = retransmissionBuffer.packetsRepaired
        retransmittedPriorScore = retransmissionBuffer.packetsRetransmitted
        guard sent > 0 else {
            scoreState.add(10)
            return
        }
        scoreState.add(
            RtpStreamScore.intervalScore(
                packets: UInt32(clamping: sent), lost: UInt32(lost), repaired: UInt32(clamping: repaired),
                retransmitted: UInt32(clamping: retransmitted)))
    }
}
