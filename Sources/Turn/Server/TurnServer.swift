import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import STUN

/// The TURN/STUN server: UDP and TCP listeners (and TLS when configured), one protocol core
/// per event loop. Each loop has its own UDP socket on the TURN port (SO_REUSEPORT, so the
/// kernel spreads clients over loops by address) and serves the TCP/TLS connections NIO places
/// on it; an allocation and its relay socket live on the loop of the client that made it.
///
/// As a `Service` it binds on `run()`, and on graceful shutdown closes every allocation.
public final class TurnServer: Service, Sendable {
    public struct ListeningAddresses: Sendable {
        public let udp: SocketAddress
        public let tcp: SocketAddress
        public let tls: SocketAddress?
    }

    public let credentials: TurnCredentialStore
    private let quota: AllocationQuota
    private let configuration: TurnServerConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let onListening: @Sendable (ListeningAddresses) -> Void
    private let contexts: [NIOLoopBound<TurnLoopContext>]

    /// - Parameter onListening: called once every listener is bound.
    public init(
        configuration: TurnServerConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger,
        onListening: @escaping @Sendable (ListeningAddresses) -> Void = { _ in }
    ) throws {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onListening = onListening
        let credentials = TurnCredentialStore(
            realm: configuration.realm, users: configuration.users, sharedSecret: configuration.sharedSecret)
        self.credentials = credentials
        var relaySettings = TurnCoreConfiguration(announcedRelayIP: configuration.announcedRelayIP)
        relaySettings.supportsIPv6Relay = configuration.relayIP.contains(":")
        let coreConfiguration = relaySettings
        let policy = PeerAddressPolicy(
            allowed: configuration.allowedPeers,
            serverAddresses: [configuration.relayIP, configuration.announcedRelayIP, configuration.listenIP]
                .compactMap(IPNetwork.addressBytes))
        let nonces = NonceIssuer()
        let quota = AllocationQuota(perUser: configuration.allocationsPerUser, total: configuration.totalAllocations)
        self.quota = quota
        let metrics = TurnMetrics()
        let relayIDs = RelayIDSource()
        let binder = RelaySocketBinder(relayIP: configuration.relayIP, ports: configuration.relayPorts)
        self.contexts = try eventLoopGroup.makeIterator().map { eventLoop in
            try eventLoop.submit {
                TurnLoopContext(
                    eventLoop: eventLoop,
                    core: TurnServerCore(
                        configuration: coreConfiguration, credentials: credentials, nonces: nonces, policy: policy,
                        quota: quota, metrics: metrics, relayIDs: relayIDs),
                    relayBinder: binder, logger: logger
                ).bound
            }.wait()
        }
    }

    /// Allocations currently held, on every loop.
    public var allocationCount: Int { quota.current }

    public func run() async throws {
        var channels: [any Channel] = []
        var ticks: [RepeatedTask] = []
        do {
            let addresses = try await bindListeners(into: &channels)
            for context in contexts {
                ticks.append(
                    context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
                        context.value.tick()
                    })
            }
            logger.notice(
                "TURN server listening",
                metadata: [
                    "udp": "\(addresses.udp)", "tcp": "\(addresses.tcp)",
                    "tls": "\(addresses.tls.map { "\($0)" } ?? "off")",
                    "relayPorts": "\(configuration.relayPorts.lowerBound)-\(configuration.relayPorts.upperBound)",
                ])
            onListening(addresses)
            try? await gracefulShutdown()
        } catch {
            await close(channels: channels, ticks: ticks)
            throw error
        }
        await close(channels: channels, ticks: ticks)
    }

    private func close(channels: [any Channel], ticks: [RepeatedTask]) async {
        for tick in ticks { tick.cancel() }
        for channel in channels {
            try? await channel.close().get()
        }
        for context in contexts {
            try? await context.eventLoop.submit { context.value.closeAll() }.get()
        }
    }

    private func bindListeners(into channels: inout [any Channel]) async throws -> ListeningAddresses {
        var udpAddress: SocketAddress?
        var port = configuration.port
        for context in contexts {
            let channel = try await DatagramBootstrap(group: context.eventLoop)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(ChannelOptions.Types.SocketOption(level: .socket, name: .init(rawValue: SO_REUSEPORT)), value: 1)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .channelOption(.datagramVectorReadMessageCount, value: 32)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(TurnDatagramListenerHandler(context: context))
                    }
                }
                .bind(host: configuration.listenIP, port: port).get()
            channels.append(channel)
            // With port 0 the first socket picks the port and the others share it.
            if udpAddress == nil {
                udpAddress = channel.localAddress
                port = channel.localAddress?.port ?? port
            }
        }
        let tcp = try await bindStream(port: port, tls: nil)
        channels.append(tcp)
        var tlsAddress: SocketAddress?
        if let tls = configuration.tls {
            let channel = try await bindStream(port: tls.port, tls: try NIOSSLContext(configuration: tls.configuration))
            channels.append(channel)
            tlsAddress = channel.localAddress
        }
        guard let udpAddress, let tcpAddress = tcp.localAddress else { throw ChannelError.unknownLocalAddress }
        return ListeningAddresses(udp: udpAddress, tcp: tcpAddress, tls: tlsAddress)
    }

    private func bindStream(port: Int, tls: NIOSSLContext?) async throws -> any Channel {
        let contextsByLoop = Dictionary(uniqueKeysWithValues: contexts.map { (ObjectIdentifier($0.eventLoop), $0) })
        return try await ServerBootstrap(group: contexts[0].eventLoop, childGroup: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let context = contextsByLoop[ObjectIdentifier(channel.eventLoop)] else {
                        throw ChannelError.ioOnClosedChannel
                    }
                    let handlers = channel.pipeline.syncOperations
                    if let tls {
                        try handlers.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try handlers.addHandler(ByteToMessageHandler(TurnFrameDecoder()))
                    try handlers.addHandler(TurnStreamHandler(context: context, transport: tls == nil ? .tcp : .tls))
                }
            }
            .bind(host: configuration.listenIP, port: port).get()
    }
}
