import ArgumentParser

/// The command-line face of `Setting.all`: one optional flag per setting, all taken as text so
/// that flags, environment and config file go through the same parsing and error messages.
struct SettingOptions: ParsableArguments {
    @Option(name: .customLong(Setting.configFile.flag), help: ArgumentHelp(Setting.configFile.help))
    var configFile: String?
    @Option(name: .customLong(Setting.httpsListenIP.flag), help: ArgumentHelp(Setting.httpsListenIP.help))
    var httpsListenIP: String?
    @Option(name: .customLong(Setting.httpsPort.flag), help: ArgumentHelp(Setting.httpsPort.help))
    var httpsPort: String?
    @Option(name: .customLong(Setting.certificate.flag), help: ArgumentHelp(Setting.certificate.help))
    var certificate: String?
    @Option(name: .customLong(Setting.privateKey.flag), help: ArgumentHelp(Setting.privateKey.help))
    var privateKey: String?
    @Option(name: .customLong(Setting.mediaListenIP.flag), help: ArgumentHelp(Setting.mediaListenIP.help))
    var mediaListenIP: String?
    @Option(name: .customLong(Setting.announcedIP.flag), help: ArgumentHelp(Setting.announcedIP.help))
    var announcedIP: String?
    @Option(name: .customLong(Setting.minPort.flag), help: ArgumentHelp(Setting.minPort.help))
    var minPort: String?
    @Option(name: .customLong(Setting.maxPort.flag), help: ArgumentHelp(Setting.maxPort.help))
    var maxPort: String?
    @Option(name: .customLong(Setting.workerCount.flag), help: ArgumentHelp(Setting.workerCount.help))
    var workerCount: String?
    @Option(name: .customLong(Setting.useWebRtcServer.flag), help: ArgumentHelp(Setting.useWebRtcServer.help))
    var useWebRtcServer: String?
    @Option(name: .customLong(Setting.webRtcServerPort.flag), help: ArgumentHelp(Setting.webRtcServerPort.help))
    var webRtcServerPort: String?
    @Option(name: .customLong(Setting.srtpBackend.flag), help: ArgumentHelp(Setting.srtpBackend.help))
    var srtpBackend: String?
    @Option(name: .customLong(Setting.maxIncomingBitrate.flag), help: ArgumentHelp(Setting.maxIncomingBitrate.help))
    var maxIncomingBitrate: String?
    @Option(name: .customLong(Setting.ingressHost.flag), help: ArgumentHelp(Setting.ingressHost.help))
    var ingressHost: String?
    @Option(name: .customLong(Setting.clientProtooPort.flag), help: ArgumentHelp(Setting.clientProtooPort.help))
    var clientProtooPort: String?
    @Option(name: .customLong(Setting.clientIceServerEnabled.flag), help: ArgumentHelp(Setting.clientIceServerEnabled.help))
    var clientIceServerEnabled: String?
    @Option(name: .customLong(Setting.clientIceServerHost.flag), help: ArgumentHelp(Setting.clientIceServerHost.help))
    var clientIceServerHost: String?
    @Option(name: .customLong(Setting.clientIceServerPort.flag), help: ArgumentHelp(Setting.clientIceServerPort.help))
    var clientIceServerPort: String?
    @Option(name: .customLong(Setting.clientIceServerProtocol.flag), help: ArgumentHelp(Setting.clientIceServerProtocol.help))
    var clientIceServerProtocol: String?
    @Option(name: .customLong(Setting.clientIceServerUser.flag), help: ArgumentHelp(Setting.clientIceServerUser.help))
    var clientIceServerUser: String?
    @Option(name: .customLong(Setting.clientIceServerPassword.flag), help: ArgumentHelp(Setting.clientIceServerPassword.help))
    var clientIceServerPassword: String?
    @Option(name: .customLong(Setting.turnEnabled.flag), help: ArgumentHelp(Setting.turnEnabled.help))
    var turnEnabled: String?
    @Option(name: .customLong(Setting.turnListenIP.flag), help: ArgumentHelp(Setting.turnListenIP.help))
    var turnListenIP: String?
    @Option(name: .customLong(Setting.turnPort.flag), help: ArgumentHelp(Setting.turnPort.help))
    var turnPort: String?
    @Option(name: .customLong(Setting.turnTLSPort.flag), help: ArgumentHelp(Setting.turnTLSPort.help))
    var turnTLSPort: String?
    @Option(name: .customLong(Setting.turnRealm.flag), help: ArgumentHelp(Setting.turnRealm.help))
    var turnRealm: String?
    @Option(name: .customLong(Setting.turnSecret.flag), help: ArgumentHelp(Setting.turnSecret.help))
    var turnSecret: String?
    @Option(name: .customLong(Setting.turnUsers.flag), help: ArgumentHelp(Setting.turnUsers.help))
    var turnUsers: String?
    @Option(name: .customLong(Setting.turnRelayIP.flag), help: ArgumentHelp(Setting.turnRelayIP.help))
    var turnRelayIP: String?
    @Option(name: .customLong(Setting.turnAnnouncedIP.flag), help: ArgumentHelp(Setting.turnAnnouncedIP.help))
    var turnAnnouncedIP: String?
    @Option(name: .customLong(Setting.turnMinPort.flag), help: ArgumentHelp(Setting.turnMinPort.help))
    var turnMinPort: String?
    @Option(name: .customLong(Setting.turnMaxPort.flag), help: ArgumentHelp(Setting.turnMaxPort.help))
    var turnMaxPort: String?
    @Option(name: .customLong(Setting.turnAllowedPeers.flag), help: ArgumentHelp(Setting.turnAllowedPeers.help))
    var turnAllowedPeers: String?
    @Option(name: .customLong(Setting.turnUserQuota.flag), help: ArgumentHelp(Setting.turnUserQuota.help))
    var turnUserQuota: String?
    @Option(name: .customLong(Setting.turnTotalQuota.flag), help: ArgumentHelp(Setting.turnTotalQuota.help))
    var turnTotalQuota: String?
    @Option(name: .customLong(Setting.turnMaxBps.flag), help: ArgumentHelp(Setting.turnMaxBps.help))
    var turnMaxBps: String?
    @Option(name: .customLong(Setting.turnAlternateServers.flag), help: ArgumentHelp(Setting.turnAlternateServers.help))
    var turnAlternateServers: String?
    @Option(
        name: .customLong(Setting.turnMaxAllocateTimeout.flag), help: ArgumentHelp(Setting.turnMaxAllocateTimeout.help))
    var turnMaxAllocateTimeout: String?
    @Option(name: .customLong(Setting.turnHealthPort.flag), help: ArgumentHelp(Setting.turnHealthPort.help))
    var turnHealthPort: String?
    @Option(name: .customLong(Setting.logLevel.flag), help: ArgumentHelp(Setting.logLevel.help))
    var logLevel: String?
    @Option(name: .customLong(Setting.logFormat.flag), help: ArgumentHelp(Setting.logFormat.help))
    var logFormat: String?
    @Option(name: .customLong(Setting.metricsEnabled.flag), help: ArgumentHelp(Setting.metricsEnabled.help))
    var metricsEnabled: String?
    @Option(name: .customLong(Setting.autoCreateRooms.flag), help: ArgumentHelp(Setting.autoCreateRooms.help))
    var autoCreateRooms: String?
    @Option(name: .customLong(Setting.maxPeerCount.flag), help: ArgumentHelp(Setting.maxPeerCount.help))
    var maxPeerCount: String?
    @Option(name: .customLong(Setting.roomIdleTimeout.flag), help: ArgumentHelp(Setting.roomIdleTimeout.help))
    var roomIdleTimeout: String?
    @Option(name: .customLong(Setting.webhookSecret.flag), help: ArgumentHelp(Setting.webhookSecret.help))
    var webhookSecret: String?
    @Option(name: .customLong(Setting.roomLiveInterval.flag), help: ArgumentHelp(Setting.roomLiveInterval.help))
    var roomLiveInterval: String?
    @Option(name: .customLong(Setting.drainTimeout.flag), help: ArgumentHelp(Setting.drainTimeout.help))
    var drainTimeout: String?
    @Option(name: .customLong(Setting.apiKey.flag), help: ArgumentHelp(Setting.apiKey.help))
    var apiKey: String?
    @Option(name: .customLong(Setting.jwtSecret.flag), help: ArgumentHelp(Setting.jwtSecret.help))
    var jwtSecret: String?
    @Option(name: .customLong(Setting.jwtPublicKey.flag), help: ArgumentHelp(Setting.jwtPublicKey.help))
    var jwtPublicKey: String?
    @Option(name: .customLong(Setting.webRoot.flag), help: ArgumentHelp(Setting.webRoot.help))
    var webRoot: String?

    /// The flags given on the command line, by setting.
    var given: [Setting: String] {
        let values: [(Setting, String?)] = [
            (.httpsListenIP, httpsListenIP),
            (.httpsPort, httpsPort),
            (.certificate, certificate),
            (.privateKey, privateKey),
            (.mediaListenIP, mediaListenIP),
            (.announcedIP, announcedIP),
            (.minPort, minPort),
            (.maxPort, maxPort),
            (.workerCount, workerCount),
            (.useWebRtcServer, useWebRtcServer),
            (.webRtcServerPort, webRtcServerPort),
            (.maxIncomingBitrate, maxIncomingBitrate),
            (.srtpBackend, srtpBackend),
            (.ingressHost, ingressHost),
            (.clientProtooPort, clientProtooPort),
            (.clientIceServerEnabled, clientIceServerEnabled),
            (.clientIceServerHost, clientIceServerHost),
            (.clientIceServerPort, clientIceServerPort),
            (.clientIceServerProtocol, clientIceServerProtocol),
            (.clientIceServerUser, clientIceServerUser),
            (.clientIceServerPassword, clientIceServerPassword),
            (.turnEnabled, turnEnabled),
            (.turnListenIP, turnListenIP),
            (.turnPort, turnPort),
            (.turnTLSPort, turnTLSPort),
            (.turnRealm, turnRealm),
            (.turnSecret, turnSecret),
            (.turnUsers, turnUsers),
            (.turnRelayIP, turnRelayIP),
            (.turnAnnouncedIP, turnAnnouncedIP),
            (.turnMinPort, turnMinPort),
            (.turnMaxPort, turnMaxPort),
            (.turnAllowedPeers, turnAllowedPeers),
            (.turnUserQuota, turnUserQuota),
            (.turnTotalQuota, turnTotalQuota),
            (.turnAlternateServers, turnAlternateServers),
            (.turnMaxBps, turnMaxBps),
            (.turnMaxAllocateTimeout, turnMaxAllocateTimeout),
            (.turnHealthPort, turnHealthPort),
            (.logLevel, logLevel),
            (.logFormat, logFormat),
            (.metricsEnabled, metricsEnabled),
            (.autoCreateRooms, autoCreateRooms),
            (.maxPeerCount, maxPeerCount),
            (.roomIdleTimeout, roomIdleTimeout),
            (.webhookSecret, webhookSecret),
            (.roomLiveInterval, roomLiveInterval),
            (.drainTimeout, drainTimeout),
            (.apiKey, apiKey),
            (.jwtSecret, jwtSecret),
            (.jwtPublicKey, jwtPublicKey),
            (.webRoot, webRoot),
        ]
        return Dictionary(uniqueKeysWithValues: values.compactMap { setting, value in value.map { (setting, $0) } })
    }
}
