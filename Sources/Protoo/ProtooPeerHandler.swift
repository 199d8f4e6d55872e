import Rooms

/// The application side of one protoo peer: answers its requests and learns when it is gone.
public protocol ProtooPeerHandler: Sendable {
    /// Answers one request; requests arrive one at a time in the order the peer sent them.
    /// The answer goes out after everything the handler sent to the peer before returning.
    func handleRequest(_ request: ProtooRequest, from connection: ProtooPeerConnection) async throws(ProtooError)
        -> ProtooAnswer

    /// Takes one notification; notifications and requests arrive one at a time in the order the
    /// peer sent them.
    func handleNotification(_ notification: ProtooNotification, from connection: ProtooPeerConnection) async

    /// Called once when the connection has closed, from either side; no more requests follow.
    func connectionClosed(_ connection: ProtooPeerConnection) async
}
