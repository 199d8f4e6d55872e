import Logging
import Rooms

extension ProtooRoute {
    /// The mediasoup version announced in `mediasoup-version`: the API this server mirrors.
    public static let mediasoupVersion = "3.14.16"

    /// The protoo face of `registry`: a connection enters (or creates) room `roomId` as peer
    /// `peerId`, hears `mediasoup-version`, and speaks mediasoup-demo v3's methods. A refused
    /// peer (full room, bad room id, draining server) is closed with code 4000 and the reason.
    public init(
        registry: RoomRegistry, requestTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "sfu.protoo")
    ) {
        self.init(requestTimeout: requestTimeout, logger: logger) { connection throws(ProtooError) in
            let room: Room
            do throws(RoomError) {
                room = try await registry.room(id: connection.roomId, create: true)
                try await room.addPeer(id: connection.peerId, signaling: connection)
            } catch {
                throw ProtooError(error)
            }
            await connection.notify("mediasoup-version", data: .object(["version": .string(Self.mediasoupVersion)]))
            return ProtooPeerSession(room: room, peerId: connection.peerId)
        }
    }
}
