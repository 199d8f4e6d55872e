/// Why an engine object closed. Closing an object by calling `close()` on it is `.explicit`
/// and, as in mediasoup, produces no event on that object itself.
public enum CloseReason: String, Sendable, Hashable {
    case explicit
    case routerClosed
    case transportClosed
    case producerClosed
    case dataProducerClosed
    case listenServerClosed
}
