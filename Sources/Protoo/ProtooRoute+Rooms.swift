import Logging
import Rooms

extension ProtooRoute {
    /// The mediasoup version announced in `mediasoup-version`: the API this server mirrors.
    public static let mediasoupVersion = "3.14.16"

    /// The protoo face of `registry`: a connection enters (or creates) room `roomId` as peer
    /// `peerId`, hears `mediasoup-version`, and speaks mediasoup-demo v3's methods. A refused
    /// peer (bad or missing access token, full room, bad room id, draining server) is closed
    /// with code 4000 and the reason; so is a peer that has not joined within `joinTimeout`
    /// (mediasoup-demo's TypeScript server allows 10 s, too short for its v3 app, which waits
    /// for the person to answer the browser's microphone prompt before it joins).
    public init(
        registry: RoomRegistry, accessVerifier: ProtooAccessVerifier? = nil, joinTimeout: Duration = .seconds(120),
        requestTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "sfu.protoo")
    ) {
        self.init(requestTimeout: requestTimeout, logger: logger) { connection throws(ProtooError) in
            let permissions =
                try await accessVerifier?.permissions(
                    token: connection.accessToken, roomId: connection.roomId, peerId: connection.peerId)
                ?? Set(ProtooPermission.allCases)
            let room: Room
            do throws(RoomError) {
                let options = RoomOptions(usePipeTransports: connection.usePipeTransports)
                room = try await registry.enter(roomId: connection.roomId, create: true, options: options) {
                    room throws(RoomError) in
                    try await room.addPeer(
                        id: connection.peerId, signaling: connection, consumerReplicas: connection.consumerReplicas)
                    return room
                }
            } catch {
                throw ProtooError(error)
            }
            await connection.notify("mediasoup-version", data: .object(["version": .string(Self.mediasoupVersion)]))
            Task { [weak room, weak connection] in
                try? await Task.sleep(for: joinTimeout)
                guard let room, let connection, await !room.isJoined(peerId: connection.peerId) else { return }
                logger.info(
                    "protoo peer closed: not joined in time",
                    metadata: ["roomId": "\(connection.roomId)", "peerId": "\(connection.peerId)"])
                await connection.close()
            }
            return ProtooPeerSession(room: room, peerId: connection.peerId, permissions: permissions)
        }
    }
}
