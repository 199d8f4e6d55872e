/// One configurable value of `sfu-server`: its key in a config file, its command-line flag, the
/// environment variables that set it (mediasoup-demo / 2060-io names first, so existing
/// deployments move over unchanged) and how its default is described in `--help`.
///
/// Every setting is resolved the same way, in increasing precedence: built-in default, config
/// file, environment, flag. `Setting.all` is the single list that `--help`, `check-config` and
/// the config-file reader agree on.
struct Setting: Sendable, Hashable {
    /// Key in a JSON/YAML config file (camelCase).
    let key: String
    /// Long flag name without the leading dashes.
    let flag: String
    /// Environment variable names, in order of precedence.
    let environment: [String]
    /// The default as a user reads it in `--help` ("4443", "auto-detected").
    let defaultDescription: String
    let summary: String
    /// Secrets are masked in `check-config` and never appear in `/config` or logs.
    var isSecret = false

    var help: String {
        "\(summary) (env \(environment.joined(separator: ", ")); default: \(defaultDescription))"
    }

    /// How error messages name the setting: the flag and its primary environment variable.
    var displayName: String { "--\(flag) (\(environment[0]))" }
}

extension Setting {
    static let configFile = Setting(
        key: "config", flag: "config", environment: ["SFU_CONFIG"], defaultDescription: "none",
        summary: "JSON or YAML file with settings, keyed by the camelCase names check-config prints")

    static let httpsListenIP = Setting(
        key: "httpsListenIp", flag: "https-listen-ip", environment: ["SFU_HTTPS_LISTEN_IP"],
        defaultDescription: "0.0.0.0", summary: "Address of the HTTPS/WSS listener (REST, protoo, web app)")
    static let httpsPort = Setting(
        key: "httpsPort", flag: "https-port", environment: ["PROTOO_LISTEN_PORT", "SFU_HTTPS_PORT"],
        defaultDescription: "4443", summary: "Port of the HTTPS/WSS listener")
    static let certificate = Setting(
        key: "httpsCertFullchain", flag: "cert", environment: ["HTTPS_CERT_FULLCHAIN"],
        defaultDescription: "certs/fullchain.pem, generated self-signed on first run",
        summary: "PEM certificate chain for HTTPS/WSS and TURN over TLS")
    static let privateKey = Setting(
        key: "httpsCertPrivkey", flag: "key", environment: ["HTTPS_CERT_PRIVKEY"],
        defaultDescription: "certs/privkey.pem, generated on first run", summary: "PEM private key of --cert")

    static let mediaListenIP = Setting(
        key: "listenIp", flag: "listen-ip", environment: ["MEDIASOUP_LISTEN_IP"],
        defaultDescription: "0.0.0.0", summary: "Address media (RTP/ICE) sockets bind to")
    static let announcedIP = Setting(
        key: "announcedIp", flag: "announced-ip", environment: ["MEDIASOUP_ANNOUNCED_IP", "MEDIASOUP_ANNOUNCED_ADDRESS"],
        defaultDescription: "auto-detected: the IPv4 address of the default route's interface",
        summary: "Address put in ICE candidates and TURN relay addresses (the public IP behind NAT)")
    static let minPort = Setting(
        key: "minPort", flag: "min-port", environment: ["MEDIASOUP_MIN_PORT"],
        defaultDescription: "40000", summary: "Lowest port of the per-transport media port range")
    static let maxPort = Setting(
        key: "maxPort", flag: "max-port", environment: ["MEDIASOUP_MAX_PORT"],
        defaultDescription: "49999", summary: "Highest port of the per-transport media port range")
    static let workerCount = Setting(
        key: "numWorkers", flag: "workers", environment: ["MEDIASOUP_NUM_WORKERS"],
        defaultDescription: "number of CPU cores", summary: "Media workers, one event loop (core) each")
    static let useWebRtcServer = Setting(
        key: "useWebRtcServer", flag: "use-webrtc-server", environment: ["MEDIASOUP_USE_WEBRTC_SERVER"],
        defaultDescription: "true",
        summary: "Share one UDP and one TCP port per worker between all WebRTC transports")
    static let webRtcServerPort = Setting(
        key: "webRtcServerPort", flag: "webrtc-server-port", environment: ["SFU_WEBRTC_SERVER_PORT"],
        defaultDescription: "44444", summary: "First port of the shared WebRTC ports (worker i uses port + i)")

    static let srtpBackend = Setting(
        key: "srtpBackend", flag: "srtp-backend", environment: ["SFU_SRTP_BACKEND"],
        defaultDescription: "openssl",
        summary: "SRTP implementation: openssl (our transform on OpenSSL EVP) or libsrtp (the system libsrtp2)")

    static let maxIncomingBitrate = Setting(
        key: "maxIncomingBitrate", flag: "max-incoming-bitrate", environment: ["SFU_MAX_INCOMING_BITRATE"],
        defaultDescription: "0, no limit (mediasoup-demo's config sets 1500000)",
        summary: "Bits per second a client may send on one WebRTC transport, told to it in REMB (0 = no limit)")

    static let ingressHost = Setting(
        key: "ingressHost", flag: "ingress-host", environment: ["MEDIASOUP_INGRESS_HOST"],
        defaultDescription: "the announced IP", summary: "Host name clients reach the server by (wsUrl, iceServers)")
    static let clientProtooPort = Setting(
        key: "clientProtooPort", flag: "client-protoo-port", environment: ["MEDIASOUP_CLIENT_PROTOOPORT"],
        defaultDescription: "--https-port", summary: "Port clients reach protoo on (behind a proxy it may differ)")
    static let clientIceServerEnabled = Setting(
        key: "clientEnableIceServer", flag: "client-ice-server", environment: ["MEDIASOUP_CLIENT_ENABLE_ICESERVER"],
        defaultDescription: "true", summary: "Hand TURN iceServers to clients with each WebRTC transport")
    static let clientIceServerHost = Setting(
        key: "clientIceServerHost", flag: "client-ice-server-host", environment: ["MEDIASOUP_CLIENT_ICESERVER_HOST"],
        defaultDescription: "--ingress-host", summary: "TURN host named in iceServers")
    static let clientIceServerPort = Setting(
        key: "clientIceServerPort", flag: "client-ice-server-port", environment: ["MEDIASOUP_CLIENT_ICESERVER_PORT"],
        defaultDescription: "--turn-port", summary: "TURN port named in iceServers")
    static let clientIceServerProtocol = Setting(
        key: "clientIceServerProto", flag: "client-ice-server-proto", environment: ["MEDIASOUP_CLIENT_ICESERVER_PROTO"],
        defaultDescription: "udp,tcp (and tls with the built-in TURN's own certificate)",
        summary: "TURN transports named in iceServers (a list of udp, tcp, tls)")
    static let clientIceServerUser = Setting(
        key: "clientIceServerUser", flag: "client-ice-server-user", environment: ["MEDIASOUP_CLIENT_ICESERVER_USER"],
        defaultDescription: "none: ephemeral credentials from --turn-secret",
        summary: "Static TURN user handed to clients (prefer ephemeral credentials)")
    static let clientIceServerPassword = Setting(
        key: "clientIceServerPass", flag: "client-ice-server-pass", environment: ["MEDIASOUP_CLIENT_ICESERVER_PASS"],
        defaultDescription: "none", summary: "Password of --client-ice-server-user", isSecret: true)

    static let turnEnabled = Setting(
        key: "turnEnabled", flag: "turn", environment: ["SFU_TURN_ENABLED"],
        defaultDescription: "true", summary: "Run the built-in TURN/STUN server")
    static let turnListenIP = Setting(
        key: "turnListenIp", flag: "turn-listen-ip", environment: ["SFU_TURN_LISTEN_IP"],
        defaultDescription: "0.0.0.0", summary: "Address of the TURN listeners")
    static let turnPort = Setting(
        key: "turnPort", flag: "turn-port", environment: ["SFU_TURN_PORT"],
        defaultDescription: "3478", summary: "TURN/STUN port over UDP and TCP")
    static let turnTLSPort = Setting(
        key: "turnTlsPort", flag: "turn-tls-port", environment: ["SFU_TURN_TLS_PORT"],
        defaultDescription: "5349", summary: "TURN over TLS port (0 disables it)")
    static let turnRealm = Setting(
        key: "turnRealm", flag: "turn-realm", environment: ["SFU_TURN_REALM"],
        defaultDescription: "sfu-server", summary: "TURN long-term credential realm")
    static let turnSecret = Setting(
        key: "turnSecret", flag: "turn-secret", environment: ["SFU_TURN_SECRET"],
        defaultDescription: "random per process",
        summary: "Shared secret of TURN REST API ephemeral credentials (set it when TURN runs separately)",
        isSecret: true)
    static let turnUsers = Setting(
        key: "turnUsers", flag: "turn-users", environment: ["SFU_TURN_USERS"],
        defaultDescription: "none", summary: "Static long-term TURN users, comma separated user:password",
        isSecret: true)
    static let turnRelayIP = Setting(
        key: "turnRelayIp", flag: "turn-relay-ip", environment: ["SFU_TURN_RELAY_IP"],
        defaultDescription: "--listen-ip", summary: "Address TURN relay sockets bind to")
    static let turnAnnouncedIP = Setting(
        key: "turnAnnouncedIp", flag: "turn-announced-ip", environment: ["SFU_TURN_ANNOUNCED_IP"],
        defaultDescription: "--announced-ip", summary: "Relay address advertised in XOR-RELAYED-ADDRESS")
    static let turnMinPort = Setting(
        key: "turnMinPort", flag: "turn-min-port", environment: ["SFU_TURN_MIN_PORT"],
        defaultDescription: "50000", summary: "Lowest TURN relay port (above the media range by default)")
    static let turnMaxPort = Setting(
        key: "turnMaxPort", flag: "turn-max-port", environment: ["SFU_TURN_MAX_PORT"],
        defaultDescription: "65535", summary: "Highest TURN relay port")
    static let turnAllowedPeers = Setting(
        key: "turnAllowPeer", flag: "turn-allow-peer", environment: ["SFU_TURN_ALLOW_PEER"],
        defaultDescription: "none",
        summary: "CIDRs TURN may relay to despite being loopback/private/link-local, comma separated")
    static let turnUserQuota = Setting(
        key: "turnUserQuota", flag: "turn-user-quota", environment: ["SFU_TURN_USER_QUOTA"],
        defaultDescription: "100", summary: "Allocations one TURN user may hold at once (0: no limit)")
    static let turnTotalQuota = Setting(
        key: "turnTotalQuota", flag: "turn-total-quota", environment: ["SFU_TURN_TOTAL_QUOTA"],
        defaultDescription: "10000", summary: "Allocations the TURN server holds at once (0: no limit)")
    static let turnAlternateServers = Setting(
        key: "turnAlternateServers", flag: "turn-alternate-server", environment: ["SFU_TURN_ALTERNATE_SERVERS"],
        defaultDescription: "none",
        summary: "TURN servers (ip[:port], comma separated) new allocations are sent to while this one drains (300 Try Alternate)")
    static let turnMaxBps = Setting(
        key: "turnMaxBps", flag: "turn-max-bps", environment: ["SFU_TURN_MAX_BPS"], defaultDescription: "0",
        summary: "Bytes per second one TURN allocation may relay each way (coturn's max-bps; 0: no limit)")
    static let turnMaxAllocateTimeout = Setting(
        key: "turnMaxAllocateTimeout", flag: "turn-max-allocate-timeout", environment: ["SFU_TURN_MAX_ALLOCATE_TIMEOUT"],
        defaultDescription: "60",
        summary: "Seconds a TURN TCP/TLS connection may stay open without an allocation (coturn's max-allocate-timeout)")
    static let turnHealthPort = Setting(
        key: "turnHealthPort", flag: "turn-health-port", environment: ["SFU_TURN_HEALTH_PORT"],
        defaultDescription: "8080", summary: "Plain-HTTP port of /healthz, /readyz and /metrics in `sfu-server turn`")

    static let logLevel = Setting(
        key: "logLevel", flag: "log-level", environment: ["SFU_LOG_LEVEL"],
        defaultDescription: "info", summary: "trace, debug, info, notice, warning, error or critical")
    static let logFormat = Setting(
        key: "logFormat", flag: "log-format", environment: ["SFU_LOG_FORMAT"],
        defaultDescription: "text", summary: "text, or json for one JSON object per line")
    static let metricsEnabled = Setting(
        key: "metricsEnabled", flag: "metrics", environment: ["SFU_METRICS_ENABLED"],
        defaultDescription: "true", summary: "Serve Prometheus metrics on /metrics")
    static let drainTimeout = Setting(
        key: "drainTimeout", flag: "drain-timeout", environment: ["SFU_DRAIN_TIMEOUT"],
        defaultDescription: "30",
        summary: "Seconds SIGTERM waits for sessions to end before exiting (SIGINT waits at most 5)")
    static let apiKey = Setting(
        key: "apiKey", flag: "api-key", environment: ["SFU_API_KEY"],
        defaultDescription: "none", summary: "When set, REST routes require 'Authorization: Bearer <key>'",
        isSecret: true)
    static let jwtSecret = Setting(
        key: "jwtSecret", flag: "jwt-secret", environment: ["SFU_JWT_SECRET"],
        defaultDescription: "none",
        summary: "When set, protoo peers need ?token=<JWT signed HS256 with this secret> naming room, peer, exp and permissions",
        isSecret: true)
    static let jwtPublicKey = Setting(
        key: "jwtPublicKey", flag: "jwt-public-key", environment: ["SFU_JWT_PUBLIC_KEY"],
        defaultDescription: "none",
        summary: "PEM file of the public key (EC P-256 for ES256, RSA for RS256) protoo access tokens are signed for; instead of a secret")
    static let webRoot = Setting(
        key: "webRoot", flag: "web-root", environment: ["SFU_WEB_ROOT"],
        defaultDescription: "web", summary: "Directory of the browser app served at /")

    static let autoCreateRooms = Setting(
        key: "autoCreateRooms", flag: "auto-create-rooms", environment: ["SFU_AUTO_CREATE_ROOMS"],
        defaultDescription: "true",
        summary: "Create a missing room on GET /rooms/:id, a new broadcaster or a protoo peer, as mediasoup-demo does")
    static let maxPeerCount = Setting(
        key: "maxPeerCount", flag: "max-peer-count", environment: ["SFU_MAX_PEER_COUNT"],
        defaultDescription: "0", summary: "Peers plus broadcasters per room when its creator sets none (0: no limit)")
    static let roomIdleTimeout = Setting(
        key: "roomIdleTimeout", flag: "room-idle-timeout", environment: ["SFU_ROOM_IDLE_TIMEOUT"],
        defaultDescription: "300", summary: "Seconds a room nobody joined stays open")
    static let webhookSecret = Setting(
        key: "webhookSecret", flag: "webhook-secret", environment: ["SFU_WEBHOOK_SECRET"],
        defaultDescription: "none",
        summary: "Signs room event webhooks: header X-SFU-Signature: sha256=<HMAC-SHA256 of the body>",
        isSecret: true)
    static let roomLiveInterval = Setting(
        key: "roomLiveInterval", flag: "room-live-interval", environment: ["SFU_ROOM_LIVE_INTERVAL"],
        defaultDescription: "60", summary: "Seconds between room-live webhook snapshots (0 disables them)")

    /// Every setting but `configFile` (which selects the file and cannot appear inside it).
    static let all: [Setting] = [
        httpsListenIP, httpsPort, certificate, privateKey,
        mediaListenIP, announcedIP, minPort, maxPort, workerCount, useWebRtcServer, webRtcServerPort, srtpBackend,
        maxIncomingBitrate,
        ingressHost, clientProtooPort, clientIceServerEnabled, clientIceServerHost, clientIceServerPort,
        clientIceServerProtocol, clientIceServerUser, clientIceServerPassword,
        turnEnabled, turnListenIP, turnPort, turnTLSPort, turnRealm, turnSecret, turnUsers, turnRelayIP,
        turnAnnouncedIP, turnMinPort, turnMaxPort, turnAllowedPeers, turnUserQuota, turnTotalQuota,
        turnAlternateServers, turnMaxBps, turnMaxAllocateTimeout, turnHealthPort,
        autoCreateRooms, maxPeerCount, roomIdleTimeout, webhookSecret, roomLiveInterval,
        logLevel, logFormat, metricsEnabled, drainTimeout, apiKey, jwtSecret, jwtPublicKey, webRoot,
    ]
}
