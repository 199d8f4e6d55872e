/// The open protoo connections by room and peer id, so that a peer reconnecting with the same
/// `peerId` replaces its previous connection ("last connection wins", as mediasoup-demo does).
actor ProtooPeerDirectory {
    private struct Key: Hashable {
        var roomId: String
        var peerId: String
    }

    private var connections: [Key: ProtooPeerConnection] = [:]

    /// Registers `connection`, first closing the one it replaces and waiting until that one's
    /// handler has seen it close.
    func admit(_ connection: ProtooPeerConnection) async {
        let key = Key(roomId: connection.roomId, peerId: connection.peerId)
        let previous = connections[key]
        connections[key] = connection
        await previous?.closeAndWait()
    }

    /// Forgets `connection` unless a newer one already took its place.
    func remove(_ connection: ProtooPeerConnection) {
        let key = Key(roomId: connection.roomId, peerId: connection.peerId)
        if connections[key] === connection { connections[key] = nil }
    }
}
