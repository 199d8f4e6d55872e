import Logging
import NIOCore
import Protoo
import SFU
import Turn

/// The effective, validated configuration of one `sfu-server` process.
struct ServerConfiguration: Sendable {
    struct HTTPS: Sendable {
        var listenIP: String
        var port: Int
        var certificatePath: String
        var privateKeyPath: String
        /// True when neither path was configured: a self-signed certificate is made on first run.
        var usesDevelopmentCertificate: Bool
    }

    struct Media: Sendable {
        var listenIP: String
        var announcedIP: String
        /// True when `announcedIP` was auto-detected rather than configured.
        var announcedIPWasDetected: Bool
        var portRange: ClosedRange<Int>
        var workerCount: Int
        var useWebRtcServer: Bool
        var webRtcServerPort: Int
        var srtpBackend: SrtpBackend
        /// Bits per second; 0 is no limit.
        var maxIncomingBitrate: Int
    }

    /// What clients are told about reaching this server (wsUrl, iceServers).
    struct ClientAccess: Sendable {
        var ingressHost: String
        var protooPort: Int
        /// The TURN server handed to clients with each WebRTC transport, when enabled.
        var iceServer: IceServer?

        /// The ingress host as a URL writes it.
        var urlHost: String { ServerConfiguration.urlHost(ingressHost) }
    }

    /// `host` as a URL writes it: an IPv6 address in brackets.
    static func urlHost(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    struct IceServer: Sendable {
        var host: String
        var port: Int
        /// `turn:`/`turns:` URLs, in the order clients should try them.
        var urls: [String]
        /// Static credentials; when nil, clients get ephemeral TURN REST API credentials.
        var staticCredentials: (username: String, password: String)?
    }

    struct Turn: Sendable {
        var enabled: Bool
        var listenIP: String
        var port: Int
        /// Zero disables TURN over TLS.
        var tlsPort: Int
        var realm: String
        var sharedSecret: String
        var users: [String: String]
        var relayIP: String
        var announcedIP: String
        var relayPortRange: ClosedRange<Int>
        var allowedPeers: [IPNetwork]
        /// Zero means no limit.
        var userQuota: Int
        var totalQuota: Int
        /// Bytes per second an allocation may relay each way; 0 is no cap.
        var maxBytesPerSecond: Int
        /// Where new allocations are sent while the server drains.
        var alternateServers: [SocketAddress]
        /// Seconds a TCP/TLS connection may go without an allocation.
        var maxAllocateTimeout: Int
        var healthPort: Int
    }

    /// Room policy and webhooks.
    struct Rooms: Sendable {
        var autoCreate: Bool
        /// Nil: no limit.
        var maxPeerCount: Int?
        var idleTimeout: Duration
        var webhookSecret: String?
        /// Nil: no room-live snapshots.
        var liveInterval: Duration?
    }

    enum LogFormat: String, Sendable {
        case text, json
    }

    var https: HTTPS
    var media: Media
    var client: ClientAccess
    var turn: Turn
    var rooms: Rooms
    var logLevel: Logger.Level
    var logFormat: LogFormat
    var metricsEnabled: Bool
    var drainTimeout: Duration
    var apiKey: String?
    /// Nil: protoo peers connect without access tokens.
    var protooAccessKey: ProtooAccessKey?
    var webRoot: String
    /// Every setting's effective text and where it came from, in `Setting.all` order.
    var effectiveSettings: [EffectiveSetting]
}

struct EffectiveSetting: Sendable {
    var setting: Setting
    var text: String
    var source: SettingSource

    /// The text shown to a person: secrets are masked whatever their source.
    var displayText: String {
        guard setting.isSecret, !text.isEmpty else { return text }
        return "********"
    }
}
