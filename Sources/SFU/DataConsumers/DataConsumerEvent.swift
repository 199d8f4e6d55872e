/// What a data consumer reports, in order on ``DataConsumer/events``.
public enum DataConsumerEvent: Sendable, Hashable {
    case dataProducerPause
    case dataProducerResume
    /// The data consumer closed because its data producer or transport did; the stream ends
    /// after it.
    case closed(CloseReason)
}
