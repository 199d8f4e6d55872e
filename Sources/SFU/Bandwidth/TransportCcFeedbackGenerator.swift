import NIOCore

/// The receiving side of transport-wide congestion control
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01): notes when each packet carrying a
/// transport-wide sequence number arrived, and describes the arrivals since the last report in
/// transport-cc feedback. A browser's send-side bandwidth estimate is built from this feedback
/// alone; without it the browser takes the silence for congestion and its video falls to a few
/// dozen kbps within seconds.
///
/// Sans-I/O: the transport feeds it arrivals and asks it for feedback every ``interval``.
struct TransportCcFeedbackGenerator {
    /// How often feedback is sent (mediasoup and libwebrtc use 100 ms).
    static let interval = TimeAmount.milliseconds(100)
    /// Packets one feedback describes at most, lost ones included: keeps each feedback within
    /// about 1 KB (2-bit status vectors and 2-byte deltas in the worst case).
    static let maximumPacketsPerFeedback = 400
    /// Arrivals kept between two reports at most; older ones are dropped (and so reported lost).
    static let maximumPendingArrivals = 1 << 14
    /// Feedback packets one report may take (1,600 packets in 100 ms, about 150 Mbit/s): a peer
    /// sending scattered sequence numbers gets no more than that back.
    static let maximumFeedbackPerReport = 4

    private struct Arrival {
        let sequenceNumber: Int64
        let time: Int64
    }

    /// Arrivals since the last report, in arrival order.
    private var arrivals: [Arrival] = []
    /// The last sequence number seen, unwrapped to 64 bits.
    private var lastSequenceNumber: Int64?
    /// The first sequence number the next feedback describes; earlier ones have been reported.
    private var nextReported: Int64?
    private var feedbackCount: UInt8 = 0
    /// SSRC of the last packet: the feedback's media SSRC, as libwebrtc and mediasoup fill it in.
    private var mediaSsrc: UInt32 = 0

    /// Notes a packet's arrival (`arrivalTime` in microseconds on a monotonic clock). A packet
    /// that arrives after a feedback already reported it lost stays lost, as in libwebrtc.
    mutating func packetArrived(sequenceNumber: UInt16, ssrc: UInt32, arrivalTime: Int64) {
        let unwrapped = unwrap(sequenceNumber)
        lastSequenceNumber = max(lastSequenceNumber ?? unwrapped, unwrapped)
        if let nextReported, unwrapped < nextReported { return }
        if arrivals.count == Self.maximumPendingArrivals { arrivals.removeFirst(arrivals.count / 2) }
        arrivals.append(Arrival(sequenceNumber: unwrapped, time: arrivalTime))
        mediaSsrc = ssrc
    }

    /// Feedback for the arrivals since the last call: none when nothing arrived, several (up to
    /// ``maximumFeedbackPerReport``) when they do not fit one. Sequence numbers skipped since the
    /// previous feedback are reported lost, unless the gap is too long to be worth describing (a
    /// pause, or a restarted sender).
    mutating func takeFeedback(senderSsrc: UInt32) -> [TransportWideCcFeedback] {
        guard !arrivals.isEmpty else { return [] }
        var pending = arrivals
        arrivals.removeAll(keepingCapacity: true)
        pending.sort { $0.sequenceNumber < $1.sequenceNumber }

        var reports: [TransportWideCcFeedback] = []
        var current: Report?
        for arrival in pending {
            // Duplicates, and packets an earlier feedback already described.
            if let nextReported, arrival.sequenceNumber < nextReported { continue }
            if current?.add(arrival) != true {
                if let finished = current?.builder.build() {
                    reports.append(finished)
                    feedbackCount &+= 1
                }
                if reports.count == Self.maximumFeedbackPerReport {
                    current = nil
                    break
                }
                var first = arrival.sequenceNumber
                if let nextReported, arrival.sequenceNumber - nextReported < Int64(Self.maximumPacketsPerFeedback) {
                    first = nextReported
                }
                current = Report(
                    first: first,
                    builder: TransportWideCcFeedback.Builder(
                        senderSsrc: senderSsrc, mediaSsrc: mediaSsrc, feedbackPacketCount: feedbackCount))
                _ = current?.add(arrival)
            }
            nextReported = arrival.sequenceNumber + 1
        }
        if let finished = current?.builder.build() {
            reports.append(finished)
            feedbackCount &+= 1
        }
        return reports
    }

    /// One feedback being built, describing packets from `first` on.
    private struct Report {
        let first: Int64
        var builder: TransportWideCcFeedback.Builder

        /// Adds `arrival`, and the lost packets from `first` up to it when it is the first
        /// received; false when it does not fit this feedback.
        mutating func add(_ arrival: Arrival) -> Bool {
            guard arrival.sequenceNumber - first < Int64(TransportCcFeedbackGenerator.maximumPacketsPerFeedback) else {
                return false
            }
            if builder.packetCount == 0, arrival.sequenceNumber > first {
                _ = builder.add(sequenceNumber: UInt16(truncatingIfNeeded: first), arrivalTime: nil)
            }
            return builder.add(sequenceNumber: UInt16(truncatingIfNeeded: arrival.sequenceNumber), arrivalTime: arrival.time)
        }
    }

    /// Unwraps a 16-bit sequence number next to the last one seen.
    private func unwrap(_ sequenceNumber: UInt16) -> Int64 {
        guard let last = lastSequenceNumber else { return Int64(sequenceNumber) + 0x10000 }
        let step = Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: last))
        return last + Int64(step)
    }
}
