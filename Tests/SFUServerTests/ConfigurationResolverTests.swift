import Foundation
import NIOCore
import XCTest

@testable import sfu_server

final class ConfigurationResolverTests: XCTestCase {
    private let host = HostFacts(
        coreCount: 6, hostName: "media-1", primaryAddress: ("192.0.2.10", "eth0"), makeSecret: { "generated-secret" })

    private func load(
        _ arguments: [String] = [], environment: [String: String] = [:]
    ) throws -> ServerConfiguration {
        try ConfigurationLoader.load(options: try SettingOptions.parse(arguments), environment: environment, host: host)
    }

    private func loadError(
        _ arguments: [String] = [], environment: [String: String] = [:]
    ) throws -> ConfigurationError? {
        do {
            _ = try load(arguments, environment: environment)
            return nil
        } catch let error as ConfigurationError {
            return error
        }
    }

    func testBuiltInDefaultsMatchMediasoupDemo() throws {
        let configuration = try load()
        XCTAssertEqual(configuration.https.listenIP, "0.0.0.0")
        XCTAssertEqual(configuration.https.port, 4443)
        XCTAssertTrue(configuration.https.usesDevelopmentCertificate)
        XCTAssertEqual(configuration.media.portRange, 40000...49999)
        XCTAssertEqual(configuration.media.workerCount, 6)
        XCTAssertEqual(configuration.media.webRtcServerPort, 44444)
        XCTAssertEqual(configuration.media.srtpBackend, .openssl)
        XCTAssertEqual(configuration.media.maxIncomingBitrate, 0)
        XCTAssertEqual(configuration.media.announcedIP, "192.0.2.10")
        XCTAssertTrue(configuration.media.announcedIPWasDetected)
        XCTAssertEqual(configuration.turn.port, 3478)
        XCTAssertEqual(configuration.turn.tlsPort, 5349)
        XCTAssertEqual(configuration.turn.sharedSecret, "generated-secret")
        XCTAssertEqual(configuration.turn.relayPortRange, 50000...65535)
        XCTAssertEqual(configuration.turn.userQuota, 100)
        XCTAssertEqual(configuration.turn.totalQuota, 10_000)
        XCTAssertEqual(configuration.client.ingressHost, "192.0.2.10")
        XCTAssertEqual(configuration.client.protooPort, 4443)
        XCTAssertEqual(configuration.client.iceServer?.port, 3478)
        XCTAssertEqual(
            configuration.client.iceServer?.urls,
            ["turn:192.0.2.10:3478?transport=udp", "turn:192.0.2.10:3478?transport=tcp"],
            "no turns: URL with the development certificate, which browsers refuse")
        XCTAssertNil(configuration.client.iceServer?.staticCredentials)
        XCTAssertEqual(configuration.drainTimeout, .seconds(30))
        XCTAssertEqual(configuration.logLevel, .info)
        XCTAssertEqual(configuration.logFormat, .text)
        XCTAssertNil(configuration.apiKey)
    }

    func testMediasoupDemoEnvironmentNamesAreRead() throws {
        let configuration = try load(environment: [
            "PROTOO_LISTEN_PORT": "8443",
            "MEDIASOUP_LISTEN_IP": "10.1.2.3",
            "MEDIASOUP_MIN_PORT": "20000",
            "MEDIASOUP_MAX_PORT": "20100",
            "MEDIASOUP_NUM_WORKERS": "2",
            "MEDIASOUP_INGRESS_HOST": "sfu.example.com",
            "MEDIASOUP_CLIENT_PROTOOPORT": "443",
            "MEDIASOUP_CLIENT_ICESERVER_HOST": "turn.example.com",
            "MEDIASOUP_CLIENT_ICESERVER_PORT": "443",
            "MEDIASOUP_CLIENT_ICESERVER_PROTO": "tcp",
            "MEDIASOUP_CLIENT_ICESERVER_USER": "demo",
            "MEDIASOUP_CLIENT_ICESERVER_PASS": "pw",
            "SFU_SRTP_BACKEND": "libsrtp",
            "SFU_MAX_INCOMING_BITRATE": "1500000",
        ])
        XCTAssertEqual(configuration.https.port, 8443)
        XCTAssertEqual(configuration.media.listenIP, "10.1.2.3")
        XCTAssertEqual(configuration.media.announcedIP, "10.1.2.3", "a specific listen IP is announced as is")
        XCTAssertFalse(configuration.media.announcedIPWasDetected)
        XCTAssertEqual(configuration.media.portRange, 20000...20100)
        XCTAssertEqual(configuration.media.workerCount, 2)
        XCTAssertEqual(configuration.client.ingressHost, "sfu.example.com")
        XCTAssertEqual(configuration.client.protooPort, 443)
        XCTAssertEqual(configuration.client.iceServer?.host, "turn.example.com")
        XCTAssertEqual(configuration.client.iceServer?.port, 443)
        XCTAssertEqual(configuration.client.iceServer?.urls, ["turn:turn.example.com:443?transport=tcp"])
        XCTAssertEqual(configuration.client.iceServer?.staticCredentials?.username, "demo")
        XCTAssertEqual(configuration.media.srtpBackend, .libsrtp)
        XCTAssertEqual(configuration.media.maxIncomingBitrate, 1_500_000)
    }

    func testFlagsBeatEnvironmentWhichBeatsFileWhichBeatsDefaults() throws {
        let file = try temporaryFile(
            named: "sfu.json", contents: #"{"httpsPort": 1001, "minPort": 30000, "maxPort": 30010, "turnRealm": "file"}"#)
        let configuration = try load(
            ["--config", file, "--https-port", "1003"],
            environment: ["PROTOO_LISTEN_PORT": "1002", "MEDIASOUP_MIN_PORT": "30005"])
        XCTAssertEqual(configuration.https.port, 1003)
        XCTAssertEqual(configuration.media.portRange, 30005...30010)
        XCTAssertEqual(configuration.turn.realm, "file")
        let sources = Dictionary(
            uniqueKeysWithValues: configuration.effectiveSettings.map { ($0.setting.key, $0.source) })
        XCTAssertEqual(sources["httpsPort"], .flag)
        XCTAssertEqual(sources["minPort"], .environment)
        XCTAssertEqual(sources["maxPort"], .file)
        XCTAssertEqual(sources["turnPort"], .builtIn)
    }

    func testYAMLConfigFileWithLists() throws {
        let file = try temporaryFile(
            named: "sfu.yaml",
            contents: """
                turnUsers:
                  - alice:secret1
                  - bob:secret2
                turnAllowPeer: [127.0.0.0/8, "::1"]
                logFormat: json
                """)
        let configuration = try load(["--config", file])
        XCTAssertEqual(configuration.turn.users, ["alice": "secret1", "bob": "secret2"])
        XCTAssertEqual(configuration.turn.allowedPeers.map(\.description), ["127.0.0.0/8", "::1/128"])
        XCTAssertEqual(configuration.logFormat, .json)
    }

    func testEmptyEnvironmentVariableCountsAsUnset() throws {
        let configuration = try load(environment: ["MEDIASOUP_ANNOUNCED_IP": "", "PROTOO_LISTEN_PORT": ""])
        XCTAssertEqual(configuration.media.announcedIP, "192.0.2.10")
        XCTAssertEqual(configuration.https.port, 4443)
    }

    func testTemplatePlaceholderSecretsAreRefusedWithoutBeingShown() throws {
        let turn = try loadError(environment: ["SFU_TURN_SECRET": "REPLACE_ME"])
        XCTAssertEqual(
            turn?.description,
            "invalid --turn-secret (SFU_TURN_SECRET): '…' is a placeholder: set a long random string (e.g. openssl rand -hex 32)")
        XCTAssertNotNil(try loadError(environment: ["SFU_API_KEY": "change-me"]))
    }

    func testAHostNameAnnouncedIsResolvedForTurnOnlyWhenTurnNeedsIt() throws {
        XCTAssertEqual(try load(environment: ["MEDIASOUP_ANNOUNCED_IP": "localhost"]).turn.announcedIP, "127.0.0.1")
        let unresolvable = "sfu.does-not-resolve.invalid"
        XCTAssertNotNil(try loadError(environment: ["MEDIASOUP_ANNOUNCED_IP": unresolvable]))
        XCTAssertNoThrow(try load(environment: ["MEDIASOUP_ANNOUNCED_IP": unresolvable, "SFU_TURN_ENABLED": "false"]))
        let told = try load(environment: ["MEDIASOUP_ANNOUNCED_IP": unresolvable, "SFU_TURN_ANNOUNCED_IP": "192.0.2.1"])
        XCTAssertEqual(told.turn.announcedIP, "192.0.2.1")
    }

    func testClientsAreOfferedTurnOverTlsWithACertificateOfTheOperators() throws {
        let configuration = try load(environment: [
            "HTTPS_CERT_FULLCHAIN": "/etc/sfu/fullchain.pem", "HTTPS_CERT_PRIVKEY": "/etc/sfu/privkey.pem",
            "MEDIASOUP_INGRESS_HOST": "2001:db8::10",
        ])
        XCTAssertEqual(configuration.client.iceServer?.urls, [
            "turn:[2001:db8::10]:3478?transport=udp", "turn:[2001:db8::10]:3478?transport=tcp",
            "turns:[2001:db8::10]:5349?transport=tcp",
        ])
    }

    /// A separate TURN server (the k8s sfu-turn pods) serving TLS is named by the transports list.
    func testTransportsListNamesTurnOverTlsOfASeparateTurnServer() throws {
        let configuration = try load(environment: [
            "SFU_TURN_ENABLED": "false", "SFU_TURN_SECRET": "shared", "MEDIASOUP_CLIENT_ICESERVER_HOST": "turn.example.com",
            "MEDIASOUP_CLIENT_ICESERVER_PROTO": "udp, tls",
        ])
        XCTAssertEqual(configuration.client.iceServer?.urls, [
            "turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349?transport=tcp",
        ])
        XCTAssertEqual(
            try loadError(environment: ["MEDIASOUP_CLIENT_ICESERVER_PROTO": "quic"])?.description,
            "invalid --client-ice-server-proto (MEDIASOUP_CLIENT_ICESERVER_PROTO): 'quic' is not a list of TURN transports (udp, tcp, tls)")
        XCTAssertNotNil(try loadError(environment: ["MEDIASOUP_CLIENT_ICESERVER_PROTO": "tls", "SFU_TURN_TLS_PORT": "0"]))
    }

    func testNewerMediasoupAppsAnnouncedAddressNameIsRead() throws {
        let configuration = try load(environment: ["MEDIASOUP_ANNOUNCED_ADDRESS": "203.0.113.5"])
        XCTAssertEqual(configuration.media.announcedIP, "203.0.113.5")
    }

    func testInvalidPortNamesFlagAndEnvironmentVariable() throws {
        let error = try loadError(environment: ["PROTOO_LISTEN_PORT": "70000"])
        XCTAssertEqual(
            error?.description, "invalid --https-port (PROTOO_LISTEN_PORT): '70000' is not a port number (1-65535)")
    }

    func testMinPortAboveMaxPortIsRejected() throws {
        let error = try loadError(["--min-port", "50000", "--max-port", "40000"])
        XCTAssertEqual(
            error?.description,
            "--min-port (MEDIASOUP_MIN_PORT) 50000 is above --max-port (MEDIASOUP_MAX_PORT) 40000")
    }

    /// Worker i's WebRtcServer listens on the port plus i: no port beyond 65535.
    func testWebRtcServerPortsBeyond65535AreRejected() throws {
        let error = try loadError(environment: ["SFU_WEBRTC_SERVER_PORT": "65535", "MEDIASOUP_NUM_WORKERS": "2"])
        XCTAssertEqual(
            error?.description,
            "--webrtc-server-port (SFU_WEBRTC_SERVER_PORT) 65535 plus one port per worker (--workers (MEDIASOUP_NUM_WORKERS) 2) "
                + "goes beyond 65535")
        XCTAssertNoThrow(try load(environment: ["SFU_WEBRTC_SERVER_PORT": "65535", "MEDIASOUP_NUM_WORKERS": "1"]))
    }

    func testCertificateWithoutKeyIsRejected() throws {
        let error = try loadError(environment: ["HTTPS_CERT_FULLCHAIN": "/etc/ssl/chain.pem"])
        XCTAssertEqual(
            error?.description,
            "--cert (HTTPS_CERT_FULLCHAIN) and --key (HTTPS_CERT_PRIVKEY) must be set together")
    }

    func testBadValuesOfEachKindAreRejected() throws {
        XCTAssertNotNil(try loadError(["--listen-ip", "not-an-ip"]))
        XCTAssertNotNil(try loadError(["--workers", "0"]))
        XCTAssertNotNil(try loadError(["--log-level", "loud"]))
        XCTAssertNotNil(try loadError(["--use-webrtc-server", "maybe"]))
        XCTAssertNotNil(try loadError(["--srtp-backend", "nss"]))
        XCTAssertNotNil(try loadError(["--max-incoming-bitrate", "fast"]))
        XCTAssertNotNil(try loadError(["--max-incoming-bitrate=-1"]))
        XCTAssertNotNil(try loadError(["--turn-user-quota=-1"]))
        XCTAssertNotNil(try loadError(["--turn-allow-peer", "10.0.0.0/33"]))
        XCTAssertNotNil(try loadError(["--turn-users", "alice"]))
        XCTAssertNotNil(try loadError(["--drain-timeout=-1"]))
        XCTAssertNotNil(try loadError(["--client-ice-server-user", "demo"]))
    }

    func testProtooAccessTokenKeysAreCheckedAtStartup() throws {
        XCTAssertNil(try load().protooAccessKey)
        XCTAssertNotNil(try load(environment: ["SFU_JWT_SECRET": String(repeating: "s", count: 32)]).protooAccessKey)
        XCTAssertEqual(
            try loadError(environment: ["SFU_JWT_SECRET": "short"])?.description,
            "invalid --jwt-secret (SFU_JWT_SECRET): '<secret>' is shorter than 32 bytes: HS256 needs a 256-bit secret")
        let notAKey = try temporaryFile(named: "key.pem", contents: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
        XCTAssertEqual(
            try loadError(["--jwt-public-key", notAKey])?.description,
            "invalid --jwt-public-key (SFU_JWT_PUBLIC_KEY): '\(notAKey)' is not a PEM public key for ES256 (EC P-256) or RS256 (RSA, 2048 bits or more)")
        XCTAssertEqual(
            try loadError(["--jwt-public-key", "/nonexistent/key.pem"])?.description,
            "invalid --jwt-public-key (SFU_JWT_PUBLIC_KEY): '/nonexistent/key.pem' is not a readable file")
        XCTAssertEqual(
            try loadError(["--jwt-public-key", notAKey, "--jwt-secret", String(repeating: "s", count: 32)])?.description,
            "set --jwt-secret (SFU_JWT_SECRET) or --jwt-public-key (SFU_JWT_PUBLIC_KEY), not both")
    }

    func testUnknownConfigFileKeyIsRejected() throws {
        let file = try temporaryFile(named: "bad.json", contents: #"{"httpPort": 80}"#)
        let error = try loadError(["--config", file])
        XCTAssertEqual(error, .unknownFileKey("httpPort", path: file))
    }

    func testMissingConfigFileIsRejected() throws {
        let error = try loadError(["--config", "/nonexistent/sfu.yaml"])
        guard case .unreadableFile(let path, _) = error else { return XCTFail("expected unreadableFile, got \(String(describing: error))") }
        XCTAssertEqual(path, "/nonexistent/sfu.yaml")
    }

    func testSecretsAreMaskedInEffectiveSettings() throws {
        let configuration = try load(
            ["--turn-secret", "s3cret", "--api-key", "k3y", "--turn-users", "alice:pw"])
        let shown = configuration.effectiveSettings.map(\.displayText).joined(separator: " ")
        XCTAssertFalse(shown.contains("s3cret"))
        XCTAssertFalse(shown.contains("k3y"))
        XCTAssertFalse(shown.contains("alice:pw"))
        XCTAssertEqual(configuration.effectiveSettings.count, Setting.all.count)
    }

    func testPublicConfigurationHoldsNoSecret() throws {
        let configuration = try load(
            ["--turn-secret", "s3cret", "--api-key", "k3y", "--client-ice-server-user", "u", "--client-ice-server-pass", "p4ss"])
        let json = String(buffer: try PublicConfiguration(configuration).jsonBuffer())
        for secret in ["s3cret", "k3y", "p4ss"] {
            XCTAssertFalse(json.contains(secret), "\(secret) leaked in \(json)")
        }
        XCTAssertTrue(json.contains(#""apiKeyRequired":true"#))
    }

    private func temporaryFile(named name: String, contents: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
