/// What the delay of the packets a transport sent says about the path to the receiver.
enum BandwidthUsage: Equatable {
    /// Delay is steady: the path carries what is sent.
    case normal
    /// Delay is growing: a queue builds up, more is sent than the path carries.
    case overusing
    /// Delay is shrinking: a queue drains.
    case underusing
}
