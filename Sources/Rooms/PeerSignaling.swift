/// How a room reaches one signaling peer (a protoo connection). Implemented by the signaling
/// face; the room calls it from its actor, and everything queued reaches the peer in call order.
public protocol PeerSignaling: AnyObject, Sendable {
    /// Queues a notification for the peer.
    func notify(_ notification: PeerNotification) async

    /// Queues a `newConsumer` request and returns once it is queued (not answered). `answered`
    /// runs later with true when the peer accepted, false when it refused, timed out or left.
    func offerConsumer(_ offer: ConsumerOffer, answered: @escaping @Sendable (_ accepted: Bool) async -> Void) async

    /// Sends a `newDataConsumer` request; the data consumer works whatever the answer, as in
    /// mediasoup-demo.
    func offerDataConsumer(_ offer: DataConsumerOffer) async

    /// Ends the peer's session; the room has already forgotten the peer.
    func close() async
}
