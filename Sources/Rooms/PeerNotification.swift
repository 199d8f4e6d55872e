import SFU

/// What a room tells a signaling peer without expecting an answer (mediasoup-demo's
/// server-to-client notifications).
public enum PeerNotification: Sendable, Hashable {
    /// A peer joined or a broadcaster was added.
    case newPeer(PeerSummary)
    /// A joined peer or a broadcaster left.
    case peerClosed(peerId: String)
    case peerDisplayNameChanged(peerId: String, displayName: String, oldDisplayName: String)
    /// Scores of one of the peer's own producers.
    case producerScore(producerId: String, score: [ProducerScore])
    /// The consumer closed because its producer did.
    case consumerClosed(consumerId: String)
    /// The consumer's producer paused.
    case consumerPaused(consumerId: String)
    /// The consumer's producer resumed.
    case consumerResumed(consumerId: String)
    case consumerScore(consumerId: String, score: ConsumerScore)
    /// The layers now forwarded; nil when none are.
    case consumerLayersChanged(consumerId: String, layers: ConsumerLayers?)
    /// The loudest participant, or nil when nobody speaks (mediasoup-demo's AudioLevelObserver).
    case activeSpeaker(peerId: String?, volume: Int?)
    /// The outgoing bandwidth estimate of one of the peer's transports (mediasoup-demo's
    /// `downlinkBwe`, from the transport's `bwe` trace).
    case downlinkBandwidth(OutgoingBandwidthTrace)
    /// The data consumer closed because its data producer did.
    case dataConsumerClosed(dataConsumerId: String)
}
