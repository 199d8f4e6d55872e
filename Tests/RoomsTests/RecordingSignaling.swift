import Foundation
@testable import Rooms

/// A peer's signaling that keeps the notifications it is given and declines consumer offers.
final class RecordingSignaling: PeerSignaling, @unchecked Sendable {
    private let lock = NSLock()
    private var notifications: [PeerNotification] = []
    private var closed = false

    var isClosed: Bool { lock.withLock { closed } }
    var received: [PeerNotification] { lock.withLock { notifications } }

    func notify(_ notification: PeerNotification) async { lock.withLock { notifications.append(notification) } }
    func offerConsumer(_ offer: ConsumerOffer, answered: @escaping @Sendable (Bool) async -> Void) async {
        await answered(false)
    }
    func offerDataConsumer(_ offer: DataConsumerOffer) async {}
    func close() async { lock.withLock { closed = true } }
}
