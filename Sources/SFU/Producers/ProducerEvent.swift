/// What a producer reports to the signaling layer, in order on ``Producer/events``.
public enum ProducerEvent: Sendable, Hashable {
    case score([ProducerScore])
    case videoOrientationChange(RtpVideoOrientation)
    /// The producer closed because its transport did; the stream ends after it.
    case closed(CloseReason)
}
