/// The 0–10 quality score of an RTP stream, as mediasoup's `RtpStream` computes it.
///
/// Each report interval yields an interval score from the packets delivered, lost and
/// repaired by retransmission (``intervalScore(packets:lost:repaired:retransmitted:)``). The
/// stream's score is the weighted average of the last ``historyLength`` interval scores, the
/// newest weighing most (weights 1, 2, 3...), rounded.
public struct RtpStreamScore: Sendable, Equatable {
    /// How many interval scores the average covers.
    public static let historyLength = 24

    /// The current score, 0–10.
    public private(set) var score: UInt8
    private var history: [UInt8] = []

    public init(score: UInt8 = 10) {
        self.score = min(score, 10)
    }

    /// Adds an interval score and recomputes the average; returns true when ``score`` changed.
    @discardableResult
    public mutating func add(_ intervalScore: UInt8) -> Bool {
        if history.count == Self.historyLength { history.removeFirst() }
        history.append(min(intervalScore, 10))
        var weightedSum = 0
        var weights = 0
        for (offset, value) in history.enumerated() {
            weightedSum += (offset + 1) * Int(value)
            weights += offset + 1
        }
        let previous = score
        score = UInt8((Double(weightedSum) / Double(weights)).rounded())
        return score != previous
    }

    /// Forgets the history and sets the score (a stream that became inactive or active again);
    /// returns true when ``score`` changed.
    @discardableResult
    public mutating func reset(to newScore: UInt8) -> Bool {
        history.removeAll()
        let previous = score
        score = min(newScore, 10)
        return score != previous
    }

    /// The score of one interval: `packets` is the interval's reference count (received for a
    /// receiving stream, sent for a sending one), of which `lost` were lost and `repaired` were
    /// repaired by the first of `retransmitted` retransmissions.
    ///
    /// Repairs count in proportion to how many of the retransmissions were useful, and less the
    /// more of them were needed; the delivered ratio is raised to the 4th power so that
    /// moderate loss already costs several points. `lost` is capped at `packets` and `repaired`
    /// at `lost`.
    public static func intervalScore(packets: UInt32, lost: UInt32, repaired: UInt32, retransmitted: UInt32) -> UInt8 {
        guard packets > 0 else { return lost > 0 ? 0 : 10 }
        let total = Double(packets)
        let lost = min(lost, packets)
        let repaired = min(repaired, lost)
        let repairedRatio = Double(repaired) / total
        var repairedWeight = fourthPower(1 / (repairedRatio + 1))
        if retransmitted > 0 {
            repairedWeight *= Double(repaired) / Double(max(retransmitted, repaired))
        }
        // mediasoup keeps the remaining loss as a whole number of packets.
        let remainingLost = (Double(lost) - Double(repaired) * repairedWeight).rounded(.towardZero)
        let deliveredRatio = (total - remainingLost) / total
        return UInt8((fourthPower(deliveredRatio) * 10).rounded())
    }

    private static func fourthPower(_ value: Double) -> Double {
        let square = value * value
        return square * square
    }
}
