import Foundation
import Logging
import NIOCore
import Protoo
import SFU
import Turn

/// Turns the raw layers into a typed `ServerConfiguration`, rejecting the first invalid value
/// with an error that names the flag and environment variable to fix.
struct ConfigurationResolver {
    let layers: SettingLayers
    let host: HostFacts
    private var effective: [Setting: EffectiveSetting] = [:]

    init(layers: SettingLayers, host: HostFacts) {
        self.layers = layers
        self.host = host
    }

    mutating func resolve() throws(ConfigurationError) -> ServerConfiguration {
        let https = try resolveHTTPS()
        let media = try resolveMedia()
        let turn = try resolveTurn(media: media)
        let client = try resolveClientAccess(https: https, media: media, turn: turn)

        let logLevel = try value(.logLevel, default: "info") { text in
            Logger.Level(rawValue: text.lowercased())
        } reason: { "is not a log level (trace, debug, info, notice, warning, error, critical)" }
        let logFormat = try value(.logFormat, default: "text") { text in
            ServerConfiguration.LogFormat(rawValue: text.lowercased())
        } reason: { "is not a log format (text or json)" }
        let drainSeconds = try value(.drainTimeout, default: "30") { text in
            Int(text).flatMap { (0...3600).contains($0) ? $0 : nil }
        } reason: { "is not a number of seconds between 0 and 3600" }
        let apiKey = try secretText(.apiKey, default: "")
        let rooms = try resolveRooms()

        return ServerConfiguration(
            https: https, media: media, client: client, turn: turn, rooms: rooms,
            logLevel: logLevel, logFormat: logFormat,
            metricsEnabled: try bool(.metricsEnabled, default: true),
            drainTimeout: .seconds(drainSeconds),
            apiKey: apiKey.isEmpty ? nil : apiKey,
            protooAccessKey: try resolveProtooAccessKey(),
            webRoot: try text(.webRoot, default: "web"),
            effectiveSettings: Setting.all.compactMap { effective[$0] })
    }

    private mutating func resolveProtooAccessKey() throws(ConfigurationError) -> ProtooAccessKey? {
        let secret = try text(.jwtSecret, default: "")
        let publicKeyPath = try text(.jwtPublicKey, default: "")
        switch (secret.isEmpty, publicKeyPath.isEmpty) {
        case (true, true):
            return nil
        case (false, false):
            throw .inconsistent(
                "set \(Setting.jwtSecret.displayName) or \(Setting.jwtPublicKey.displayName), not both")
        case (false, true):
            do {
                return try ProtooAccessKey(secret: secret)
            } catch {
                throw .invalidValue(.jwtSecret, value: "<secret>", reason: error.description)
            }
        case (true, false):
            guard let pem = try? String(contentsOfFile: publicKeyPath, encoding: .utf8) else {
                throw .invalidValue(.jwtPublicKey, value: publicKeyPath, reason: "is not a readable file")
            }
            do {
                return try ProtooAccessKey(publicKeyPEM: pem)
            } catch {
                throw .invalidValue(.jwtPublicKey, value: publicKeyPath, reason: error.description)
            }
        }
    }

    private mutating func resolveRooms() throws(ConfigurationError) -> ServerConfiguration.Rooms {
        let maxPeerCount = try count(.maxPeerCount, default: 0)
        let idleSeconds = try value(.roomIdleTimeout, default: "300") { text in
            Int(text).flatMap { (1...86_400).contains($0) ? $0 : nil }
        } reason: { "is not a number of seconds between 1 and 86400" }
        let liveSeconds = try value(.roomLiveInterval, default: "60") { text in
            Int(text).flatMap { (0...86_400).contains($0) ? $0 : nil }
        } reason: { "is not a number of seconds between 0 and 86400" }
        let secret = try text(.webhookSecret, default: "")
        return ServerConfiguration.Rooms(
            autoCreate: try bool(.autoCreateRooms, default: true),
            maxPeerCount: maxPeerCount == 0 ? nil : maxPeerCount,
            idleTimeout: .seconds(idleSeconds),
            webhookSecret: secret.isEmpty ? nil : secret,
            liveInterval: liveSeconds == 0 ? nil : .seconds(liveSeconds))
    }

    private mutating func resolveHTTPS() throws(ConfigurationError) -> ServerConfiguration.HTTPS {
        let certificateGiven = layers.value(of: .certificate) != nil
        let keyGiven = layers.value(of: .privateKey) != nil
        guard certificateGiven == keyGiven else {
            throw .inconsistent(
                "\(Setting.certificate.displayName) and \(Setting.privateKey.displayName) must be set together")
        }
        return ServerConfiguration.HTTPS(
            listenIP: try ipAddress(.httpsListenIP, default: "0.0.0.0"),
            port: try port(.httpsPort, default: 4443),
            certificatePath: try text(.certificate, default: "certs/fullchain.pem"),
            privateKeyPath: try text(.privateKey, default: "certs/privkey.pem"),
            usesDevelopmentCertificate: !certificateGiven)
    }

    private mutating func resolveMedia() throws(ConfigurationError) -> ServerConfiguration.Media {
        let listenIP = try ipAddress(.mediaListenIP, default: "0.0.0.0")
        let announcedIP: String
        let detected: Bool
        if layers.value(of: .announcedIP) != nil {
            announcedIP = try text(.announcedIP, default: "")
            detected = false
        } else if !Self.isWildcard(listenIP) {
            announcedIP = try text(.announcedIP, default: listenIP)
            detected = false
        } else {
            announcedIP = try text(.announcedIP, default: host.primaryAddress?.ip ?? "127.0.0.1")
            detected = true
        }
        let minPort = try port(.minPort, default: 40000)
        let maxPort = try port(.maxPort, default: 49999)
        guard minPort <= maxPort else {
            throw .inconsistent(
                "\(Setting.minPort.displayName) \(minPort) is above \(Setting.maxPort.displayName) \(maxPort)")
        }
        let workerCount = try value(.workerCount, default: String(host.coreCount)) { text in
            Int(text).flatMap { (1...1024).contains($0) ? $0 : nil }
        } reason: { "is not a worker count between 1 and 1024" }
        let useWebRtcServer = try bool(.useWebRtcServer, default: true)
        let webRtcServerPort = try port(.webRtcServerPort, default: 44444)
        // Worker i listens on the port plus i.
        if useWebRtcServer, webRtcServerPort + workerCount - 1 > 65535 {
            throw .inconsistent(
                "\(Setting.webRtcServerPort.displayName) \(webRtcServerPort) plus one port per worker "
                    + "(\(Setting.workerCount.displayName) \(workerCount)) goes beyond 65535")
        }
        return ServerConfiguration.Media(
            listenIP: listenIP,
            announcedIP: announcedIP,
            announcedIPWasDetected: detected,
            portRange: minPort...maxPort,
            workerCount: workerCount,
            useWebRtcServer: useWebRtcServer,
            webRtcServerPort: webRtcServerPort,
            srtpBackend: try value(.srtpBackend, default: SrtpBackend.openssl.rawValue) { text in
                SrtpBackend(rawValue: text.lowercased())
            } reason: { "is not an SRTP backend (openssl or libsrtp)" },
            maxIncomingBitrate: try value(.maxIncomingBitrate, default: "0") { text in
                Int(text).flatMap { $0 >= 0 ? $0 : nil }
            } reason: { "is not a bitrate (bits per second, 0 for no limit)" })
    }

    private mutating func resolveTurn(
        media: ServerConfiguration.Media
    ) throws(ConfigurationError) -> ServerConfiguration.Turn {
        let minPort = try port(.turnMinPort, default: 50000)
        let maxPort = try port(.turnMaxPort, default: 65535)
        guard minPort <= maxPort else {
            throw .inconsistent(
                "\(Setting.turnMinPort.displayName) \(minPort) is above \(Setting.turnMaxPort.displayName) \(maxPort)")
        }
        let usersText = try text(.turnUsers, default: "")
        var users: [String: String] = [:]
        for entry in Self.list(usersText) {
            guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex,
                entry.index(after: colon) != entry.endIndex
            else {
                throw .invalidValue(.turnUsers, value: "…", reason: "must be comma-separated user:password pairs")
            }
            users[String(entry[..<colon])] = String(entry[entry.index(after: colon)...])
        }
        let allowedText = try text(.turnAllowedPeers, default: "")
        var allowedPeers: [IPNetwork] = []
        for cidr in Self.list(allowedText) {
            guard let network = IPNetwork(cidr) else {
                throw .invalidValue(.turnAllowedPeers, value: cidr, reason: "is not an IP address or CIDR (e.g. 127.0.0.0/8)")
            }
            allowedPeers.append(network)
        }
        var alternateServers: [SocketAddress] = []
        for server in Self.list(try text(.turnAlternateServers, default: "")) {
            guard let address = Self.socketAddress(server, defaultPort: 3478) else {
                throw .invalidValue(
                    .turnAlternateServers, value: server, reason: "is not an IP address with an optional port (e.g. 192.0.2.7:3478)")
            }
            alternateServers.append(address)
        }
        let secretGiven = layers.value(of: .turnSecret) != nil
        let secret = try secretText(.turnSecret, default: secretGiven ? "" : host.makeSecret())
        let tlsPort = try value(.turnTLSPort, default: "5349") { text in
            Int(text).flatMap { (0...65535).contains($0) ? $0 : nil }
        } reason: { "is not a port number (1-65535, or 0 to disable)" }
        let enabled = try bool(.turnEnabled, default: true)
        // A host name is resolved only when it is needed: TURN runs here and is not told its
        // address otherwise ("0.0.0.0" stands in, never used, when it is not).
        let announcedDefault =
            Self.isIPAddress(media.announcedIP) ? media.announcedIP
            : layers.value(of: .turnAnnouncedIP) != nil || !enabled ? "0.0.0.0"
            : try Self.turnAnnouncedIP(from: media.announcedIP)
        return ServerConfiguration.Turn(
            enabled: enabled,
            listenIP: try ipAddress(.turnListenIP, default: "0.0.0.0"),
            port: try port(.turnPort, default: 3478),
            tlsPort: tlsPort,
            realm: try text(.turnRealm, default: "sfu-server"),
            sharedSecret: secret,
            users: users,
            relayIP: try ipAddress(.turnRelayIP, default: media.listenIP),
            announcedIP: try ipAddress(.turnAnnouncedIP, default: announcedDefault),
            relayPortRange: minPort...maxPort,
            allowedPeers: allowedPeers,
            userQuota: try count(.turnUserQuota, default: 100),
            totalQuota: try count(.turnTotalQuota, default: 10_000),
            maxBytesPerSecond: try count(.turnMaxBps, default: 0),
            alternateServers: alternateServers,
            maxAllocateTimeout: try value(.turnMaxAllocateTimeout, default: "60") { text in
                Int(text).flatMap { $0 >= 1 ? $0 : nil }
            } reason: { "is not a number of seconds (1 or more)" },
            healthPort: try port(.turnHealthPort, default: 8080))
    }

    private mutating func resolveClientAccess(
        https: ServerConfiguration.HTTPS, media: ServerConfiguration.Media, turn: ServerConfiguration.Turn
    ) throws(ConfigurationError) -> ServerConfiguration.ClientAccess {
        let ingressHost = try text(.ingressHost, default: media.announcedIP)
        let protooPort = try port(.clientProtooPort, default: https.port)
        let enabled = try bool(.clientIceServerEnabled, default: true)
        let iceHost = try text(.clientIceServerHost, default: ingressHost)
        let icePort = try port(.clientIceServerPort, default: turn.port)
        // Unset: UDP, TCP, and TLS when the built-in TURN serves it with a real certificate (a
        // browser refuses the development one), so that clients on networks that block UDP (or
        // all but TLS) still get a relay. Each URL costs every client an allocation.
        // A list (`udp,tcp,tls`) names them; `tls` is TURN over TLS on the TLS port, for a
        // separate TURN server (the k8s sfu-turn pods) whose certificate browsers accept.
        let transports = try value(.clientIceServerProtocol, default: "") { text -> [String]? in
            let names = Self.list(text.lowercased())
            return names.allSatisfy(["udp", "tcp", "tls"].contains) ? names : nil
        } reason: { "is not a list of TURN transports (udp, tcp, tls)" }
        if transports.contains("tls"), turn.tlsPort == 0 {
            throw .inconsistent(
                "\(Setting.clientIceServerProtocol.displayName) has tls but \(Setting.turnTLSPort.displayName) is 0")
        }
        let urlHost = ServerConfiguration.urlHost(iceHost)
        var urls = (transports.isEmpty ? ["udp", "tcp"] : transports).map { transport in
            transport == "tls"
                ? "turns:\(urlHost):\(turn.tlsPort)?transport=tcp" : "turn:\(urlHost):\(icePort)?transport=\(transport)"
        }
        if transports.isEmpty, turn.enabled, turn.tlsPort != 0, icePort == turn.port, !https.usesDevelopmentCertificate {
            urls.append("turns:\(urlHost):\(turn.tlsPort)?transport=tcp")
        }
        let user = try text(.clientIceServerUser, default: "")
        let password = try text(.clientIceServerPassword, default: "")
        guard user.isEmpty == password.isEmpty else {
            throw .inconsistent(
                "\(Setting.clientIceServerUser.displayName) and \(Setting.clientIceServerPassword.displayName) must be set together")
        }
        // Without a static user the credentials are minted from the TURN secret, which only
        // works when some TURN server (ours, or a separate one sharing the secret) runs.
        let handsOutTurn = enabled && (turn.enabled || !user.isEmpty || layers.value(of: .turnSecret) != nil)
        return ServerConfiguration.ClientAccess(
            ingressHost: ingressHost,
            protooPort: protooPort,
            iceServer: handsOutTurn
                ? ServerConfiguration.IceServer(
                    host: iceHost, port: icePort, urls: urls,
                    staticCredentials: user.isEmpty ? nil : (user, password))
                : nil)
    }

    // MARK: Typed readers. Each records the effective text and its source for `check-config`.

    private mutating func value<T>(
        _ setting: Setting, default defaultText: String,
        parse: (String) -> T?, reason: () -> String
    ) throws(ConfigurationError) -> T {
        let (text, source) = layers.value(of: setting) ?? (defaultText, .builtIn)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let parsed = parse(trimmed) else {
            throw .invalidValue(setting, value: setting.isSecret ? "…" : text, reason: reason())
        }
        effective[setting] = EffectiveSetting(setting: setting, text: trimmed, source: source)
        return parsed
    }

    private mutating func text(_ setting: Setting, default defaultText: String) throws(ConfigurationError) -> String {
        try value(setting, default: defaultText) { $0 } reason: { "is not valid" }
    }

    /// A secret, refused when it is a template's placeholder (the k8s Secret's `REPLACE_ME`, say),
    /// which anyone could read and use.
    private mutating func secretText(_ setting: Setting, default defaultText: String) throws(ConfigurationError) -> String {
        try value(setting, default: defaultText) { text in
            Self.placeholderSecrets.contains(text.lowercased()) ? nil : text
        } reason: { "is a placeholder: set a long random string (e.g. openssl rand -hex 32)" }
    }

    private static let placeholderSecrets: Set<String> = ["replace_me", "change-me", "changeme", "change_me", "secret"]

    private mutating func port(_ setting: Setting, default defaultPort: Int) throws(ConfigurationError) -> Int {
        try value(setting, default: String(defaultPort)) { text in
            Int(text).flatMap { (1...65535).contains($0) ? $0 : nil }
        } reason: { "is not a port number (1-65535)" }
    }

    private mutating func count(_ setting: Setting, default defaultCount: Int) throws(ConfigurationError) -> Int {
        try value(setting, default: String(defaultCount)) { text in
            Int(text).flatMap { $0 >= 0 ? $0 : nil }
        } reason: { "is not a count (0 or more)" }
    }

    private mutating func bool(_ setting: Setting, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        try value(setting, default: defaultValue ? "true" : "false") { text in
            switch text.lowercased() {
            case "true", "yes", "on", "1": true
            case "false", "no", "off", "0": false
            default: nil
            }
        } reason: { "is not a boolean (true/false, yes/no, on/off, 1/0)" }
    }

    private mutating func ipAddress(_ setting: Setting, default defaultIP: String) throws(ConfigurationError) -> String {
        try value(setting, default: defaultIP) { text in
            Self.isIPAddress(text) ? text : nil
        } reason: { "is not an IPv4 or IPv6 address" }
    }

    private static func isIPAddress(_ text: String) -> Bool {
        (try? SocketAddress(ipAddress: text, port: 0)) != nil
    }

    /// The media's announced address as the IP TURN announces (XOR-RELAYED-ADDRESS carries an
    /// IP): a hostname is resolved once, at start.
    private static func turnAnnouncedIP(from mediaAnnounced: String) throws(ConfigurationError) -> String {
        if isIPAddress(mediaAnnounced) { return mediaAnnounced }
        // IPv4 first: relays are IPv4 unless the relay address is IPv6.
        guard let ip = resolve(mediaAnnounced, family: AF_INET) ?? resolve(mediaAnnounced, family: AF_INET6) else {
            throw .inconsistent(
                "the announced address \(mediaAnnounced) does not resolve to an IP address for TURN to announce: "
                    + "set \(Setting.turnAnnouncedIP.environment.first ?? Setting.turnAnnouncedIP.key)")
        }
        return ip
    }

    /// `ip`, `ip:port` or `[ipv6]:port`.
    private static func socketAddress(_ text: String, defaultPort: Int) -> SocketAddress? {
        if let address = try? SocketAddress(ipAddress: text, port: defaultPort) { return address }
        var host = text
        var port = defaultPort
        if let colon = text.lastIndex(of: ":"), let parsed = Int(text[text.index(after: colon)...]),
            (1...65535).contains(parsed)
        {
            host = String(text[..<colon])
            port = parsed
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return try? SocketAddress(ipAddress: host, port: port)
    }

    /// The first address of `host` in `family`, by getaddrinfo.
    private static func resolve(_ host: String, family: Int32) -> String? {
        var hints = addrinfo()
        hints.ai_family = family
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &results) == 0, let first = results else { return nil }
        defer { freeaddrinfo(results) }
        guard let address = first.pointee.ai_addr else { return nil }
        let socketAddress: SocketAddress?
        if family == AF_INET {
            socketAddress = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
        } else {
            socketAddress = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
        }
        return socketAddress?.ipAddress
    }

    static func isWildcard(_ ip: String) -> Bool { ip == "0.0.0.0" || ip == "::" }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
