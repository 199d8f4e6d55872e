/// What a data producer reports, in order on ``DataProducer/events``.
public enum DataProducerEvent: Sendable, Hashable {
    /// The data producer closed because its transport did; the stream ends after it.
    case closed(CloseReason)
}
