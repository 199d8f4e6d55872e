/// What a consumer reports to the signaling layer, in order on ``Consumer/events``.
public enum ConsumerEvent: Sendable, Hashable {
    case producerPause
    case producerResume
    case score(ConsumerScore)
    /// The layers now forwarded; nil when nothing is (simulcast and SVC consumers).
    case layersChange(ConsumerLayers?)
    /// The consumer closed because its producer or transport did; the stream ends after it.
    case closed(CloseReason)
}
