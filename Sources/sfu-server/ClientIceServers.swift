import Foundation
import Rooms
import Turn

/// The TURN server clients are given with each WebRTC transport: static credentials when
/// configured, otherwise TURN REST API credentials minted from the shared secret for a day.
enum ClientIceServers {
    static let credentialLifetime = 86_400

    static func provider(_ configuration: ServerConfiguration) -> @Sendable (String) -> [IceServerDescription] {
        guard let server = configuration.client.iceServer else { return { _ in [] } }
        let urls = server.urls
        if let (username, password) = server.staticCredentials {
            let description = IceServerDescription(urls: urls, username: username, credential: password)
            return { _ in [description] }
        }
        let store = TurnCredentialStore(
            realm: configuration.turn.realm, users: [:], sharedSecret: configuration.turn.sharedSecret)
        return { participantId in
            guard let credentials = store.ephemeralCredentials(
                user: participantId, lifetime: credentialLifetime, now: Int(Date().timeIntervalSince1970))
            else { return [] }
            return [IceServerDescription(urls: urls, username: credentials.username, credential: credentials.password)]
        }
    }
}
