import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import STUN
import SocketIO

/// The TURN/STUN server: UDP and TCP listeners (and TLS when configured), one protocol core
/// per event loop. UDP and TCP are served by ``SocketEventLoop``s, as many as the NIO group has
/// loops, each with its own UDP socket and TCP listener on the TURN port (SO_REUSEPORT, so the
/// kernel spreads clients over loops by address). TLS connections are served by the NIO loops
/// they land on, as NIOSSL needs a NIO channel. An allocation and its relay socket live on the
/// loop of the client that made it.
///
/// As a `Service` it binds on `run()`, and on graceful shutdown closes every allocation.
public final class TurnServer: Service, Sendable {
    public struct ListeningAddresses: Sendable {
        public var udp: [SocketAddress] = []
        public var tcp: [SocketAddress] = []
        public var tls: [SocketAddress] = []
    }

    public let credentials: TurnCredentialStore
    private let quota: AllocationQuota
    /// Relay ports held for RESERVATION-TOKENs, which any loop may be presented.
    private let reservations: RelayPortReservations
    private let configuration: TurnServerConfiguration
    /// Each wildcard of `configuration.listenIPs` with the host's addresses in its family.
    private let wildcardAddresses: [String: [String]]
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let onListening: @Sendable (ListeningAddresses) -> Void
    /// The contexts of the NIO loops, serving TLS clients.
    private let tlsContexts: [NIOLoopBound<TurnLoopContext>]
    /// A loop serving UDP and TCP clients, made by `run()`, and its context.
    private struct SocketLoopContext {
        let loop: SocketEventLoop
        let context: NIOLoopBound<TurnLoopContext>
    }
    private let makeContext: @Sendable (any EventLoop) -> TurnLoopContext

    /// - Parameter onListening: called once every listener is bound.
    public init(
        configuration: TurnServerConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger,
        onListening: @escaping @Sendable (ListeningAddresses) -> Void = { _ in }
    ) throws {
        self.configuration = configuration
        let interfaceAddresses = ListenAddresses.ofHost()
        let wildcardAddresses = Dictionary(
            configuration.listenIPs.filter(ListenAddresses.isWildcard).map { wildcard in
                (wildcard, ListenAddresses.standingFor(wildcard, interfaceAddresses: interfaceAddresses))
            },
            uniquingKeysWith: { first, _ in first })
        self.wildcardAddresses = wildcardAddresses
        let listenIPs = configuration.listenIPs + wildcardAddresses.values.flatMap { $0 }
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onListening = onListening
        let credentials = TurnCredentialStore(
            realm: configuration.realm, users: configuration.users, sharedSecret: configuration.sharedSecret)
        self.credentials = credentials
        var relaySettings = TurnCoreConfiguration(announcedRelayIP: configuration.announcedRelayIP)
        relaySettings.supportsIPv6Relay = configuration.relayIP.contains(":")
        relaySettings.alternateServers = configuration.alternateServers.compactMap(StunAddress.init)
        relaySettings.maxBytesPerSecond = configuration.maxBytesPerSecond
        let coreConfiguration = relaySettings
        let policy = PeerAddressPolicy(
            allowed: configuration.allowedPeers,
            serverAddresses: ([configuration.relayIP, configuration.announcedRelayIP] + listenIPs)
                .compactMap(IPNetwork.addressBytes),
            mediaEndpoints: configuration.mediaEndpoints)
        let nonces = NonceIssuer()
        let quota = AllocationQuota(perUser: configuration.allocationsPerUser, total: configuration.totalAllocations)
        self.quota = quota
        let metrics = TurnMetrics()
        let relayIDs = RelayIDSource()
        let reservations = RelayPortReservations()
        self.reservations = reservations
        let binder = RelaySocketBinder(
            relayIP: configuration.relayIP, ports: configuration.relayPorts, reservations: reservations)
        let makeContext: @Sendable (any EventLoop) -> TurnLoopContext = { eventLoop in
            TurnLoopContext(
                eventLoop: eventLoop,
                core: TurnServerCore(
                    configuration: coreConfiguration, credentials: credentials, nonces: nonces, policy: policy,
                    quota: quota, metrics: metrics, relayIDs: relayIDs, isDraining: configuration.isDraining),
                relayBinder: binder, idleStreamTimeout: configuration.idleConnectionTimeout, logger: logger)
        }
        self.makeContext = makeContext
        self.tlsContexts = try eventLoopGroup.makeIterator().map { eventLoop in
            try eventLoop.submit { makeContext(eventLoop).bound }.wait()
        }
    }

    /// Allocations currently held, on every loop.
    public var allocationCount: Int { quota.current }

    public func run() async throws {
        var channels: [any Channel] = []
        var ticks: [RepeatedTask] = []
        var socketLoops: [SocketLoopContext] = []
        do {
            for index in tlsContexts.indices {
                let loop = try SocketEventLoop(name: "TURN-IO-\(index)")
                // Submitting to a loop that runs cannot fail; it is shut down in `close`.
                let context = try await loop.submit { [makeContext] in makeContext(loop).bound }.get()
                socketLoops.append(SocketLoopContext(loop: loop, context: context))
            }
            let addresses = try await bindListeners(socketLoops: socketLoops, into: &channels)
            for context in tlsContexts + socketLoops.map(\.context) {
                ticks.append(
                    context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
                        context.value.tick()
                    })
            }
            logger.notice(
                "TURN server listening",
                metadata: [
                    "udp": "\(addresses.udp)", "tcp": "\(addresses.tcp)",
                    "tls": "\(addresses.tls.isEmpty ? "off" : "\(addresses.tls)")",
                    "relayPorts": "\(configuration.relayPorts.lowerBound)-\(configuration.relayPorts.upperBound)",
                ])
            onListening(addresses)
            try? await gracefulShutdown()
        } catch {
            await close(channels: channels, ticks: ticks, socketLoops: socketLoops)
            throw error
        }
        await close(channels: channels, ticks: ticks, socketLoops: socketLoops)
    }

    private func close(channels: [any Channel], ticks: [RepeatedTask], socketLoops: [SocketLoopContext]) async {
        for tick in ticks { tick.cancel() }
        for channel in channels {
            try? await channel.close().get()
        }
        for context in tlsContexts + socketLoops.map(\.context) {
            try? await context.eventLoop.flatSubmit { context.value.closeListeners() }.get()
            try? await context.eventLoop.submit { context.value.closeAll() }.get()
        }
        for socketLoop in socketLoops {
            try? await socketLoop.loop.shutdownGracefully()
        }
        reservations.closeExpired(now: .max)
    }

    private func bindListeners(
        socketLoops: [SocketLoopContext], into channels: inout [any Channel]
    ) async throws -> ListeningAddresses {
        var addresses = ListeningAddresses()
        var port = configuration.port
        var tlsPort = configuration.tls?.port
        let tlsContext = try configuration.tls.map { try NIOSSLContext(configuration: $0.configuration) }
        for (index, ip) in configuration.listenIPs.enumerated() {
            do {
                // With port 0 the first socket picks the port and every other listener shares it.
                for (loopIndex, socketLoop) in socketLoops.enumerated() {
                    let (udp, tcp) = try await bindListeners(ip: ip, port: port, on: socketLoop)
                    if loopIndex == 0 {
                        addresses.udp.append(udp)
                        addresses.tcp.append(tcp)
                    }
                    port = udp.port ?? port
                }
                if let tlsContext, let requestedPort = tlsPort {
                    let tls: any Channel
                    do {
                        tls = try await bindTLS(ip: ip, port: requestedPort, context: tlsContext)
                    } catch {
                        throw ListenError(
                            purpose: "TURN over TLS (SFU_TURN_TLS_PORT)", host: ip, port: requestedPort, transports: "tcp",
                            underlying: error)
                    }
                    channels.append(tls)
                    tlsPort = tls.localAddress?.port ?? requestedPort
                    addresses.tls += tls.localAddress.map { [$0] } ?? []
                }
            } catch where index > 0 {
                logger.warning("TURN cannot listen on \(ip), continuing without it", metadata: ["error": "\(error)"])
                continue
            }
            for address in wildcardAddresses[ip] ?? [] {
                do {
                    try await bindAnsweringSocket(ip: address, port: port, on: socketLoops)
                } catch {
                    logger.warning(
                        "TURN cannot answer from \(address), its clients get answers from the wildcard socket",
                        metadata: ["error": "\(error)"])
                }
            }
        }
        return addresses
    }

    /// Beside a wildcard UDP socket, one per loop bound to `ip`, one of the host's addresses, on
    /// the same port: the kernel hands it what is sent to `ip`, and its answers leave from `ip`.
    /// (A wildcard socket answers from whichever address the kernel picks, and a client that
    /// asked another address drops the answer; the wildcard still serves addresses the host
    /// gains later.)
    private func bindAnsweringSocket(ip: String, port: Int, on socketLoops: [SocketLoopContext]) async throws {
        let options = UdpSocket.Options(receiveBufferSize: 4 << 20, reusePort: true)
        for socketLoop in socketLoops {
            let (loop, context) = (socketLoop.loop, socketLoop.context)
            try await loop.submit {
                context.value.addDatagramListener(try DatagramLoopSocket.bind(host: ip, port: port, on: loop, options: options))
            }.get()
        }
    }

    /// Binds `socketLoop`'s UDP socket and TCP listener on `ip:port`: one of each per loop on
    /// the same port, the kernel spreading clients over them. Answers their bound addresses.
    private func bindListeners(ip: String, port: Int, on socketLoop: SocketLoopContext) async throws
        -> (udp: SocketAddress, tcp: SocketAddress)
    {
        let (loop, context) = (socketLoop.loop, socketLoop.context)
        let options = UdpSocket.Options(receiveBufferSize: 4 << 20, reusePort: true, ipv6Only: ip.contains(":"))
        do {
            return try await loop.submit {
                let udp = try DatagramLoopSocket.bind(host: ip, port: port, on: loop, options: options)
                context.value.addDatagramListener(udp)
                let tcp = try StreamLoopListener.bind(
                    host: ip, port: udp.localAddress.port ?? port, on: loop, reusePort: true)
                context.value.addStreamListener(tcp)
                return (udp.localAddress, tcp.localAddress)
            }.get()
        } catch {
            throw ListenError(
                purpose: "STUN/TURN (SFU_TURN_PORT; is coturn still running?)", host: ip, port: port, transports: "udp+tcp",
                underlying: error)
        }
    }

    /// Lets `::` and `0.0.0.0` listen on the same port side by side.
    private static let ipv6Only = ChannelOptions.Types.SocketOption(
        level: .init(rawValue: CInt(IPPROTO_IPV6)), name: .init(rawValue: IPV6_V6ONLY))

    private func bindTLS(ip: String, port: Int, context tls: NIOSSLContext) async throws -> any Channel {
        let contextsByLoop = Dictionary(
            uniqueKeysWithValues: tlsContexts.map { (ObjectIdentifier($0.eventLoop), $0) })
        var bootstrap = ServerBootstrap(group: tlsContexts[0].eventLoop, childGroup: eventLoopGroup)
        if ip.contains(":") {
            bootstrap = bootstrap.serverChannelOption(Self.ipv6Only, value: 1)
        }
        return try await bootstrap
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A client that stops reading holds at most this much (see ClientStream.write).
            .childChannelOption(
                .writeBufferWaterMark,
                value: .init(low: StreamLoopConnection.maximumUnsent / 2, high: StreamLoopConnection.maximumUnsent))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let context = contextsByLoop[ObjectIdentifier(channel.eventLoop)] else {
                        throw ChannelError.ioOnClosedChannel
                    }
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(NIOSSLServerHandler(context: tls))
                    try handlers.addHandler(ByteToMessageHandler(TurnFrameDecoder()))
                    try handlers.addHandler(TurnStreamHandler(context: context))
                }
            }
            .bind(host: ip, port: port).get()
    }
}
