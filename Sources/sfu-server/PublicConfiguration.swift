import Foundation
import NIOCore
import SFU

/// What `GET /config` shows: enough for a client or operator to know how to reach the server,
/// and never a secret (no TURN secret, passwords or API key; only whether they are set).
struct PublicConfiguration: Encodable {
    struct HTTPS: Encodable { let port: Int; let selfSignedCertificate: Bool }
    struct Media: Encodable {
        let announcedIp: String
        let minPort: Int
        let maxPort: Int
        let numWorkers: Int
        let useWebRtcServer: Bool
        let webRtcServerPort: Int
        let srtpBackend: String
        let maxIncomingBitrate: Int
    }
    struct Client: Encodable {
        let ingressHost: String
        let protooPort: Int
        let iceServer: IceServer?
    }
    struct IceServer: Encodable {
        let urls: [String]
        let credentials: String
    }
    struct Turn: Encodable {
        let enabled: Bool
        let port: Int
        let tlsPort: Int
        let realm: String
        let relayMinPort: Int
        let relayMaxPort: Int
        let staticUserCount: Int
    }

    struct Rooms: Encodable {
        let autoCreate: Bool
        let maxPeerCount: Int?
        let idleTimeoutSeconds: Int64
        let webhooksSigned: Bool
        let liveIntervalSeconds: Int64?
    }

    let version: String
    let https: HTTPS
    let media: Media
    let client: Client
    let turn: Turn
    let rooms: Rooms
    let apiKeyRequired: Bool
    let protooTokensRequired: Bool
    let metricsEnabled: Bool
    /// The libopus and libvpx this binary is linked with.
    let codecLibraries: CodecLibraries.Versions

    init(_ configuration: ServerConfiguration) {
        version = ServerVersion.current
        https = HTTPS(
            port: configuration.https.port, selfSignedCertificate: configuration.https.usesDevelopmentCertificate)
        media = Media(
            announcedIp: configuration.media.announcedIP,
            minPort: configuration.media.portRange.lowerBound,
            maxPort: configuration.media.portRange.upperBound,
            numWorkers: configuration.media.workerCount,
            useWebRtcServer: configuration.media.useWebRtcServer,
            webRtcServerPort: configuration.media.webRtcServerPort,
            srtpBackend: configuration.media.srtpBackend.rawValue,
            maxIncomingBitrate: configuration.media.maxIncomingBitrate)
        client = Client(
            ingressHost: configuration.client.ingressHost,
            protooPort: configuration.client.protooPort,
            iceServer: configuration.client.iceServer.map { server in
                IceServer(
                    urls: server.urls,
                    credentials: server.staticCredentials == nil ? "ephemeral" : "static")
            })
        turn = Turn(
            enabled: configuration.turn.enabled,
            port: configuration.turn.port,
            tlsPort: configuration.turn.tlsPort,
            realm: configuration.turn.realm,
            relayMinPort: configuration.turn.relayPortRange.lowerBound,
            relayMaxPort: configuration.turn.relayPortRange.upperBound,
            staticUserCount: configuration.turn.users.count)
        rooms = Rooms(
            autoCreate: configuration.rooms.autoCreate,
            maxPeerCount: configuration.rooms.maxPeerCount,
            idleTimeoutSeconds: configuration.rooms.idleTimeout.components.seconds,
            webhooksSigned: configuration.rooms.webhookSecret != nil,
            liveIntervalSeconds: configuration.rooms.liveInterval?.components.seconds)
        apiKeyRequired = configuration.apiKey != nil
        protooTokensRequired = configuration.protooAccessKey != nil
        metricsEnabled = configuration.metricsEnabled
        codecLibraries = CodecLibraries.versions
    }

    func jsonBuffer() throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ByteBuffer(bytes: try encoder.encode(self))
    }
}
