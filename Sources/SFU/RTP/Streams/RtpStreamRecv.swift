import NIOCore

/// The receive side of one producer stream (one SSRC, with its RTX stream): validation,
/// statistics, loss detection and RTCP reporting, as mediasoup's `RtpStreamRecv`.
///
/// Per packet it tracks sequence numbers (RFC 3550 §A.1), counts packets, bytes and the
/// bitrate per layer, computes interarrival jitter (§A.8) and, with NACK enabled, runs a
/// ``NackGenerator``. It consumes the producer's sender reports (keeping the NTP↔RTP mapping)
/// and produces receiver report blocks with loss (§A.3) and LSR/DLSR. The score (0–10) is
/// recomputed at each sender report from the loss and repairs of the interval, and drops to 0
/// when no media arrived for ``inactivityInterval``.
///
/// Time comes in as `now`; call ``poll(now:)`` at ``nextTimeout`` for NACK retries and the
/// inactivity check.
public struct RtpStreamRecv: Sendable {
    /// No media for this long makes the stream inactive (score 0).
    public static let inactivityInterval = TimeAmount.milliseconds(1500)
    /// The same with DTX, where silence legitimately pauses the stream.
    public static let inactivityIntervalWithDtx = TimeAmount.milliseconds(5000)
    /// The bitrate window (mediasoup averages received streams over 2.5 s, 6 s with DTX).
    public static let bitrateWindow = TimeAmount.milliseconds(2500)
    public static let bitrateWindowWithDtx = TimeAmount.milliseconds(6000)

    /// What the stream is, from the producer's RTP parameters.
    public struct Parameters: Sendable, Equatable {
        public var ssrc: UInt32
        public var rtxSsrc: UInt32?
        public var rid: String?
        /// `"audio"` or `"video"`.
        public var kind: String
        public var mimeType: String
        /// In Hz.
        public var clockRate: UInt32
        /// At least 1 each.
        public var spatialLayers: Int
        public var temporalLayers: Int
        /// The codec has `nack` feedback: losses are NACKed.
        public var useNack: Bool
        /// Key frames are requested with PLI (preferred) or FIR.
        public var usePli: Bool
        public var useFir: Bool
        /// The sender may stop sending during silence.
        public var useDtx: Bool
        /// Whether a stream without media for ``RtpStreamRecv/inactivityInterval`` scores 0.
        public var useInactivityCheck: Bool

        public init(
            ssrc: UInt32, rtxSsrc: UInt32? = nil, rid: String? = nil, kind: String, mimeType: String,
            clockRate: UInt32, spatialLayers: Int = 1, temporalLayers: Int = 1, useNack: Bool = false,
            usePli: Bool = false, useFir: Bool = false, useDtx: Bool = false, useInactivityCheck: Bool = true
        ) {
            self.ssrc = ssrc
            self.rtxSsrc = rtxSsrc
            self.rid = rid
            self.kind = kind
            self.mimeType = mimeType
            self.clockRate = clockRate
            self.spatialLayers = max(1, spatialLayers)
            self.temporalLayers = max(1, temporalLayers)
            self.useNack = useNack
            self.usePli = usePli
            self.useFir = useFir
            self.useDtx = useDtx
            self.useInactivityCheck = useInactivityCheck
        }
    }

    /// The facts about one received packet the stream needs.
    public struct PacketInfo: Sendable, Equatable {
        /// For an RTX packet, the original (media) sequence number.
        public var sequenceNumber: UInt16
        public var timestamp: UInt32
        /// Whole packet size in bytes.
        public var size: Int
        public var isKeyFrame: Bool
        /// No payload: counts for sequence and loss but not for bytes or activity.
        public var isPaddingOnly: Bool
        /// Clamped to the stream's layer counts.
        public var spatialLayer: Int
        public var temporalLayer: Int

        public init(
            sequenceNumber: UInt16, timestamp: UInt32, size: Int, isKeyFrame: Bool = false,
            isPaddingOnly: Bool = false, spatialLayer: Int = 0, temporalLayer: Int = 0
        ) {
            self.sequenceNumber = sequenceNumber
            self.timestamp = timestamp
            self.size = size
            self.isKeyFrame = isKeyFrame
            self.isPaddingOnly = isPaddingOnly
            self.spatialLayer = spatialLayer
            self.temporalLayer = temporalLayer
        }
    }

    /// What receiving one packet led to.
    public struct Reception: Sendable, Equatable {
        /// Forward the packet to consumers (false: discarded, or an RTX packet that repaired
        /// nothing).
        public var accepted: Bool
        /// Sequence numbers to NACK now (already counted in the stats).
        public var nackSequenceNumbers: [UInt16]
        /// Too much is missing to repair: request a key frame.
        public var keyFrameRequired: Bool
        /// The sender restarted its sequence numbers with this packet (same SSRC, a new start).
        public var restarted = false

        public init(accepted: Bool, nackSequenceNumbers: [UInt16] = [], keyFrameRequired: Bool = false) {
            self.accepted = accepted
            self.nackSequenceNumbers = nackSequenceNumbers
            self.keyFrameRequired = keyFrameRequired
        }
    }

    /// The last sender report of the producer: which RTP timestamp was sampled at which NTP
    /// time, the mapping consumers use to place their own sender reports.
    public struct SenderReportMapping: Sendable, Equatable {
        public var ntpTimestamp: UInt64
        public var rtpTimestamp: UInt32
        public var receivedAt: NIODeadline
    }

    public private(set) var parameters: Parameters

    private var sequence = RtpSequenceTracker()
    private var rtxSequence = RtpSequenceTracker()
    private var nackGenerator: NackGenerator?
    private var layerRates: [[RateCalculator]]
    /// Which spatial layers the sender sends now, sooner than their rates tell: per layer, when
    /// its last packet came and how many pictures (timestamps) began since.
    private var spatialLayerLastSeen: [NIODeadline?]
    private var picturesWithoutSpatialLayer: [Int]
    private var lastPictureTimestamp: UInt32?

    /// Media packets accepted on the media SSRC since the last restart, for loss.
    private var mediaPacketsReceived: Int64 = 0
    private var expectedPrior: Int64 = 0
    private var receivedPrior: Int64 = 0
    private var expectedPriorScore: Int64 = 0
    private var receivedPriorScore: Int64 = 0
    private var repairedPriorScore = 0
    private var retransmittedPriorScore = 0

    private var jitter: Double = 0
    private var lastTransit: UInt32?

    private var inactivityDeadline: NIODeadline?
    private var inactive = false
    private var firSequenceNumber: UInt8 = 0
    private var scoreState = RtpStreamScore()

    /// Packets and bytes with payload, including those repaired through RTX.
    public private(set) var packetCount = 0
    public private(set) var byteCount = 0
    public private(set) var packetsLost = 0
    public private(set) var fractionLost: UInt8 = 0
    public private(set) var packetsRetransmitted = 0
    public private(set) var packetsRepaired = 0
    public private(set) var nackCount = 0
    public private(set) var nackPacketCount = 0
    public private(set) var pliCount = 0
    public private(set) var firCount = 0
    public private(set) var lastSenderReport: SenderReportMapping?

    /// The round-trip time to the producer when the caller knows it; spaces NACK retries.
    public var roundTripTime: TimeAmount?

    public init(parameters: Parameters) {
        self.parameters = parameters
        self.nackGenerator = parameters.useNack ? NackGenerator() : nil
        let window = parameters.useDtx ? Self.bitrateWindowWithDtx : Self.bitrateWindow
        self.layerRates = Array(
            repeating: Array(repeating: RateCalculator(window: window), count: parameters.temporalLayers),
            count: parameters.spatialLayers)
        self.spatialLayerLastSeen = Array(repeating: nil, count: parameters.spatialLayers)
        self.picturesWithoutSpatialLayer = Array(repeating: 0, count: parameters.spatialLayers)
    }

    /// The highest spatial layer the sender still sends: a layer counts as dropped once it is
    /// missing from `pictures` pictures in a row and for `silence` (pictures alone would drop a
    /// 1 fps screen share's top layer between frames, time alone one that resumed a moment ago).
    /// Nil before the first packet.
    public func highestSentSpatialLayer(now: NIODeadline, silence: TimeAmount, pictures: Int) -> Int? {
        guard lastPictureTimestamp != nil else { return nil }
        return spatialLayerLastSeen.indices.last { layer in
            picturesWithoutSpatialLayer[layer] < pictures || spatialLayerLastSeen[layer].map { now - $0 < silence } ?? false
        }
    }

    /// The stream's score, 0–10.
    public var score: UInt8 { scoreState.score }

    /// Records the RTX SSRC of a stream whose RTX SSRC was not signaled (rid-based simulcast
    /// announces only the rid): its first RTX packet reveals it.
    public mutating func learnRtxSsrc(_ ssrc: UInt32) {
        parameters.rtxSsrc = ssrc
    }

    /// Interarrival jitter in RTP timestamp units.
    public var jitterInTimestampUnits: UInt32 { UInt32(jitter) }

    /// Packets refused by sequence number validation.
    public var packetsDiscarded: Int { sequence.packetsDiscarded }

    /// Accounts for a packet received on the media SSRC.
    public mutating func receivePacket(_ packet: PacketInfo, now: NIODeadline) -> Reception {
        var reception = Reception(accepted: true)
        switch sequence.update(packet.sequenceNumber) {
        case .discarded: return Reception(accepted: false)
        case .restarted:
            restartLossAccounting()
            reception.restarted = true
        case .accepted: break
        }
        if let outcome = nackGenerator?.receivePacket(
            sequenceNumber: packet.sequenceNumber, isKeyFrame: packet.isKeyFrame, isRecovered: false, now: now)
        {
            // Without RTX a retransmission arrives on the media SSRC itself.
            if parameters.rtxSsrc == nil, outcome.repairedNackedPacket {
                packetsRetransmitted += 1
                packetsRepaired += 1
            }
            reception.nackSequenceNumbers = outcome.nackSequenceNumbers
            reception.keyFrameRequired = outcome.keyFrameRequired
            countNack(outcome.nackSequenceNumbers)
        }
        updateJitter(timestamp: packet.timestamp, now: now)
        mediaPacketsReceived += 1
        if !packet.isPaddingOnly { countMedia(packet, now: now) }
        return reception
    }

    /// Accounts for a packet received on the RTX SSRC, already decapsulated: `packet` carries
    /// the original sequence number, `rtxSequenceNumber` the RTX stream's own. Accepted only when
    /// it repairs a packet that was NACKed.
    public mutating func receiveRtxPacket(
        _ packet: PacketInfo, rtxSequenceNumber: UInt16, now: NIODeadline
    ) -> Reception {
        guard parameters.rtxSsrc != nil, nackGenerator != nil, rtxSequence.update(rtxSequenceNumber) != .discarded
        else { return Reception(accepted: false) }
        switch sequence.update(packet.sequenceNumber) {
        case .discarded: return Reception(accepted: false)
        case .restarted: restartLossAccounting()
        case .accepted: break
        }
        packetsRetransmitted += 1
        let outcome = nackGenerator?.receivePacket(
            sequenceNumber: packet.sequenceNumber, isKeyFrame: packet.isKeyFrame, isRecovered: true, now: now)
        guard outcome?.repairedNackedPacket == true else { return Reception(accepted: false) }
        if !packet.isPaddingOnly {
            packetsRepaired += 1
            countMedia(packet, now: now)
        }
        return Reception(accepted: true)
    }

    /// Takes in a sender report of this stream: keeps its NTP↔RTP mapping, remembers it for
    /// LSR/DLSR and recomputes the score.
    public mutating func receiveSenderReport(_ report: SenderReport, now: NIODeadline) {
        lastSenderReport = SenderReportMapping(
            ntpTimestamp: report.ntpTimestamp, rtpTimestamp: report.rtpTimestamp, receivedAt: now)
        updateScore()
    }

    /// The reception report block for this stream, covering the interval since the previous
    /// call (RFC 3550 §6.4.1, §A.3).
    public mutating func receiverReportBlock(now: NIODeadline) -> ReportBlock {
        let expected = sequence.expectedPackets
        packetsLost = Int(expected - mediaPacketsReceived)
        let expectedInterval = expected - expectedPrior
        let receivedInterval = mediaPacketsReceived - receivedPrior
        expectedPrior = expected
        receivedPrior = mediaPacketsReceived
        let lostInterval = expectedInterval - receivedInterval
        if expectedInterval <= 0 || lostInterval <= 0 {
            fractionLost = 0
        } else {
            fractionLost = UInt8(min(255, (lostInterval << 8) / expectedInterval))
        }
        var block = ReportBlock(
            ssrc: parameters.ssrc, fractionLost: fractionLost, totalLost: Int32(clamping: packetsLost),
            highestSequenceNumber: sequence.extendedHighestSequenceNumber, jitter: jitterInTimestampUnits)
        if let lastSenderReport {
            block.lastSenderReport = RtpClock.compactNtp(lastSenderReport.ntpTimestamp)
            block.delaySinceLastSenderReport = RtpClock.compactNtpDuration(now - lastSenderReport.receivedAt)
        }
        return block
    }

    /// The key frame request to send to the producer (PLI if supported, else FIR), counted in
    /// the stats; nil when the stream supports neither.
    public mutating func requestKeyFrame() -> RtcpPacket? {
        // mediasoup sets the sender SSRC to the media SSRC: some senders (GStreamer) reject 0.
        let ssrc = parameters.ssrc
        if parameters.usePli {
            pliCount += 1
            return .pictureLossIndication(PictureLossIndication(senderSsrc: ssrc, mediaSsrc: ssrc))
        }
        if parameters.useFir {
            firCount += 1
            firSequenceNumber &+= 1
            return .fullIntraRequest(
                FullIntraRequest(
                    senderSsrc: ssrc, mediaSsrc: ssrc,
                    entries: [FullIntraRequest.Entry(ssrc: ssrc, sequenceNumber: firSequenceNumber)]))
        }
        return nil
    }

    /// When ``poll(now:)`` is next due; nil when nothing is pending.
    public var nextTimeout: NIODeadline? {
        let inactivity = inactive ? nil : inactivityDeadline
        switch (nackGenerator?.nextTimeout, inactivity) {
        case (let nack?, let inactivity?): return min(nack, inactivity)
        case (let deadline?, nil), (nil, let deadline?): return deadline
        case (nil, nil): return nil
        }
    }

    /// Runs the due timers: returns the sequence numbers to NACK again (counted in the stats)
    /// and marks the stream inactive when no media arrived in time. Harmless when called early.
    public mutating func poll(now: NIODeadline) -> [UInt16] {
        if !inactive, let deadline = inactivityDeadline, now >= deadline {
            inactive = true
            scoreState.reset(to: 0)
        }
        let batch = nackGenerator?.poll(now: now, rtt: roundTripTime) ?? []
        countNack(batch)
        return batch
    }

    /// The producer paused: silence is expected, so the inactivity check stops until the next
    /// media packet, pending NACKs are dropped and jitter starts over.
    public mutating func pause() {
        inactivityDeadline = nil
        nackGenerator?.reset()
        jitter = 0
        lastTransit = nil
    }

    /// The producer resumed: the inactivity check runs again from `now`.
    public mutating func resume(now: NIODeadline) {
        guard parameters.useInactivityCheck, !inactive else { return }
        inactivityDeadline = now + inactivityInterval
    }

    /// The bitrate of all layers at `now`, in bits per second.
    public func bitrate(now: NIODeadline) -> UInt32 {
        layerRates.joined().reduce(0) { $0 &+ $1.rate(now: now) }
    }

    /// The bitrate needed to receive up to the given layers: every layer of the lower spatial
    /// layers plus the temporal layers up to `temporalLayer` of `spatialLayer`. 0 when that
    /// exact layer is not being received (out-of-range layers also give 0).
    public func bitrate(now: NIODeadline, spatialLayer: Int, temporalLayer: Int) -> UInt32 {
        guard layerRates.indices.contains(spatialLayer), layerRates[spatialLayer].indices.contains(temporalLayer),
            layerRates[spatialLayer][temporalLayer].rate(now: now) > 0
        else { return 0 }
        let lower = layerRates[..<spatialLayer].joined().reduce(0) { $0 &+ $1.rate(now: now) }
        return layerRates[spatialLayer][...temporalLayer].reduce(lower) { $0 &+ $1.rate(now: now) }
    }

    /// The stream's statistics in mediasoup's shape.
    public func stats(now: NIODeadline) -> RtpInboundStreamStats {
        var byLayer: [String: UInt32] = [:]
        if parameters.spatialLayers > 1 || parameters.temporalLayers > 1 {
            for spatial in 0..<parameters.spatialLayers {
                for temporal in 0..<parameters.temporalLayers {
                    byLayer["\(spatial).\(temporal)"] = bitrate(
                        now: now, spatialLayer: spatial, temporalLayer: temporal)
                }
            }
        }
        return RtpInboundStreamStats(
            timestamp: RtpClock.milliseconds(at: now), ssrc: parameters.ssrc, rtxSsrc: parameters.rtxSsrc,
            rid: parameters.rid, kind: parameters.kind, mimeType: parameters.mimeType, packetsLost: packetsLost,
            fractionLost: fractionLost, packetsDiscarded: packetsDiscarded, packetsRetransmitted: packetsRetransmitted,
            packetsRepaired: packetsRepaired, nackCount: nackCount, nackPacketCount: nackPacketCount,
            pliCount: pliCount, firCount: firCount, score: score,
            roundTripTime: roundTripTime.map { Double($0.nanoseconds) / 1e6 } ?? 0,
            rtxPacketsDiscarded: parameters.rtxSsrc == nil ? nil : rtxSequence.packetsDiscarded,
            jitter: jitterInTimestampUnits, packetCount: packetCount, byteCount: byteCount,
            bitrate: bitrate(now: now), bitrateByLayer: byLayer)
    }

    // MARK: - Internals

    private mutating func countMedia(_ packet: PacketInfo, now: NIODeadline) {
        packetCount += 1
        byteCount += packet.size
        let spatial = min(max(0, packet.spatialLayer), parameters.spatialLayers - 1)
        let temporal = min(max(0, packet.temporalLayer), parameters.temporalLayers - 1)
        layerRates[spatial][temporal].update(bytes: packet.size, now: now)
        notePicture(timestamp: packet.timestamp, spatialLayer: spatial, now: now)
        if parameters.useInactivityCheck { inactivityDeadline = now + inactivityInterval }
        if inactive {
            inactive = false
            scoreState.reset(to: 10)
        }
    }

    /// Counts a packet of `spatialLayer` towards the layers the sender sends now. A packet of an
    /// earlier picture (a repair, a reordered one) says nothing of now; a timestamp more than a
    /// few seconds back is a sender that started over, its next picture a new one.
    private mutating func notePicture(timestamp: UInt32, spatialLayer: Int, now: NIODeadline) {
        if let last = lastPictureTimestamp, timestamp != last {
            let backwards = last &- timestamp
            let isEarlierPicture = !SeqManager.isSeqHigher(timestamp, than: last)
            if isEarlierPicture, UInt64(backwards) < UInt64(parameters.clockRate) * 5 { return }
        }
        if timestamp != lastPictureTimestamp {
            lastPictureTimestamp = timestamp
            for layer in picturesWithoutSpatialLayer.indices { picturesWithoutSpatialLayer[layer] += 1 }
        }
        picturesWithoutSpatialLayer[spatialLayer] = 0
        spatialLayerLastSeen[spatialLayer] = now
    }

    private var inactivityInterval: TimeAmount {
        parameters.useDtx ? Self.inactivityIntervalWithDtx : Self.inactivityInterval
    }

    private mutating func countNack(_ sequenceNumbers: [UInt16]) {
        guard !sequenceNumbers.isEmpty else { return }
        nackCount += 1
        nackPacketCount += sequenceNumbers.count
    }

    /// RFC 3550 §A.8: J += (|D| - J) / 16, with D the change in transit time between two
    /// consecutive packets, both in RTP timestamp units.
    private mutating func updateJitter(timestamp: UInt32, now: NIODeadline) {
        guard parameters.clockRate > 0 else { return }
        let transit = RtpClock.reading(at: now, clockRate: parameters.clockRate) &- timestamp
        if let lastTransit {
            let difference = Int32(bitPattern: transit &- lastTransit).magnitude
            jitter += (Double(difference) - jitter) / 16
        }
        lastTransit = transit
    }

    /// The sender restarted its sequence numbers: loss is counted afresh (RFC 3550 §A.1
    /// `init_seq`), and gaps in the old sequence space are no longer missing.
    private mutating func restartLossAccounting() {
        mediaPacketsReceived = 0
        expectedPrior = 0
        receivedPrior = 0
        expectedPriorScore = 0
        receivedPriorScore = 0
        lastTransit = nil
        lastPictureTimestamp = nil
        nackGenerator?.reset()
    }

    /// mediasoup's interval score for a received stream: loss is expected minus received, and
    /// repairs through RTX (or retransmissions on the media SSRC) offset it.
    private mutating func updateScore() {
        let expected = sequence.expectedPackets - expectedPriorScore
        let received = mediaPacketsReceived - receivedPriorScore
        let repaired = packetsRepaired - repairedPriorScore
        let retransmitted = packetsRetransmitted - retransmittedPriorScore
        expectedPriorScore = sequence.expectedPackets
        receivedPriorScore = mediaPacketsReceived
        repairedPriorScore = packetsRepaired
        retransmittedPriorScore = packetsRetransmitted
        guard !inactive else { return }
        guard expected > 0 else {
            scoreState.add(10)
            return
        }
        var lost = UInt32(clamping: max(0, expected - received))
        // Without RTX, retransmissions count as received, so the repairs tell the loss better.
        if parameters.rtxSsrc == nil, UInt32(clamping: repaired) > lost { lost = UInt32(clamping: repaired) }
        scoreState.add(
            RtpStreamScore.intervalScore(
                packets: UInt32(clamping: received), lost: lost, repaired: UInt32(clamping: repaired),
                retransmitted: UInt32(clamping: retransmitted)))
    }
}
