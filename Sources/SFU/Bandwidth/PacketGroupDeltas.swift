/// Groups sent packets as a pacer sends them (everything sent within 5 ms of a group's first
/// packet, and packets that arrive in a burst behind it) and gives, for each completed group,
/// how much later it was sent and arrived than the group before: the raw material of a delay
/// trend (libwebrtc's InterArrival, as the GoogCC draft describes it).
///
/// Times are microseconds: send times on the sender's clock, arrival times on the receiver's.
struct PacketGroupDeltas {
    static let groupLength: Int64 = 5_000
    static let burstLength: Int64 = 5_000

    struct Group {
        var firstSendTime: Int64
        var lastSendTime: Int64
        var lastArrivalTime: Int64
    }

    struct Delta {
        /// Microseconds between the last packets' send times of two groups.
        let sendDelta: Int64
        /// Microseconds between their arrival times.
        let arrivalDelta: Int64
        /// When the later group's last packet arrived.
        let arrivalTime: Int64
    }

    private var current: Group?
    private var previous: Group?

    /// Adds one received packet (in send order); the delta between the two groups before it
    /// when this packet starts a new group.
    mutating func add(sendTime: Int64, arrivalTime: Int64) -> Delta? {
        guard var group = current else {
            current = Group(firstSendTime: sendTime, lastSendTime: sendTime, lastArrivalTime: arrivalTime)
            return nil
        }
        // Reordered behind the group being built: it says nothing new.
        guard sendTime >= group.firstSendTime else { return nil }
        if belongs(sendTime: sendTime, arrivalTime: arrivalTime, to: group) {
            group.lastSendTime = max(group.lastSendTime, sendTime)
            group.lastArrivalTime = max(group.lastArrivalTime, arrivalTime)
            current = group
            return nil
        }
        var delta: Delta?
        if let previous {
            delta = Delta(
                sendDelta: group.lastSendTime - previous.lastSendTime,
                arrivalDelta: group.lastArrivalTime - previous.lastArrivalTime,
                arrivalTime: group.lastArrivalTime)
        }
        previous = group
        current = Group(firstSendTime: sendTime, lastSendTime: sendTime, lastArrivalTime: arrivalTime)
        return delta
    }

    private func belongs(sendTime: Int64, arrivalTime: Int64, to group: Group) -> Bool {
        if sendTime - group.firstSendTime <= Self.groupLength { return true }
        // A burst: arrived right behind the group, and sooner after it than it was sent.
        let arrivalDelta = arrivalTime - group.lastArrivalTime
        let propagationDelta = arrivalDelta - (sendTime - group.lastSendTime)
        return propagationDelta < 0 && arrivalDelta <= Self.burstLength
    }
}
