/// One sent packet as the receiver's feedback described it.
struct PacketFeedback {
    /// Microseconds on the sender's clock.
    let sendTime: Int64
    let size: Int
    let probeClusterId: Int?
    /// Microseconds on the receiver's clock; nil when the packet was lost.
    let arrivalTime: Int64?
}
