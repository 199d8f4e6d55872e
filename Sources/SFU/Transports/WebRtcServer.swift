import Foundation
import NIOCore

/// Shared UDP and TCP ports for all WebRtcTransports of one worker (mediasoup's WebRtcServer):
/// many clients on one UDP port and one TCP port. A STUN packet from an unknown tuple is routed
/// by the local ICE username fragment in its USERNAME; everything else only by a tuple that a
/// valid check bound to a transport. Unroutable packets are dropped and counted.
///
/// `@unchecked Sendable`: the routing table and sockets are touched only on the worker's loop.
public final class WebRtcServer: @unchecked Sendable {
    public let id: String
    public let worker: Worker
    public let listenInfos: [TransportListenInfo]
    /// The bound sockets as candidate sources, in listen-info order (ports resolved).
    let candidateSources: [IceCandidateSource]

    private let udpSockets: [UdpSocket]
    private let tcpServers: [TcpMediaServer]
    private var demultiplexer = WebRtcServerDemultiplexer<ObjectIdentifier>()
    private var transports: [ObjectIdentifier: WebRtcTransport] = [:]
    /// Datagrams no transport claimed.
    public private(set) var droppedPackets = 0
    private var isClosed = false

    private init(
        worker: Worker, listenInfos: [TransportListenInfo], sources: [IceCandidateSource], udpSockets: [UdpSocket],
        tcpServers: [TcpMediaServer]
    ) {
        self.id = UUID().uuidString.lowercased()
        self.worker = worker
        self.listenInfos = listenInfos
        self.candidateSources = sources
        self.udpSockets = udpSockets
        self.tcpServers = tcpServers
    }

    static func open(worker: Worker, listenInfos: [TransportListenInfo]) async throws -> WebRtcServer {
        guard !listenInfos.isEmpty else { throw EngineError.invalidArgument("empty listenInfos") }
        var udpSockets: [UdpSocket] = []
        var tcpServers: [TcpMediaServer] = []
        var sources: [IceCandidateSource] = []
        do {
            for info in listenInfos {
                let port: Int
                switch info.protocol {
                case .udp:
                    let socket =
                        if let fixed = info.port, fixed != 0 {
                            try await UdpSocket.bind(
                                host: info.ip, port: fixed, on: worker.eventLoop, vectorReadCount: 32,
                                receiveBufferSize: 4 << 20)
                        } else {
                            try await UdpSocket.bind(
                                host: info.ip, in: info.portRange ?? worker.settings.rtcPortRange, on: worker.eventLoop,
                                vectorReadCount: 32)
                        }
                    udpSockets.append(socket)
                    port = socket.localAddress.port ?? 0
                case .tcp:
                    let server =
                        if let fixed = info.port, fixed != 0 {
                            try await TcpMediaServer.bind(host: info.ip, port: fixed, on: worker.eventLoop)
                        } else {
                            try await TcpMediaServer.bind(
                                host: info.ip, in: info.portRange ?? worker.settings.rtcPortRange, on: worker.eventLoop)
                        }
                    tcpServers.append(server)
                    port = server.localAddress.port ?? 0
                }
                sources.append(IceCandidateSource(
                    transportProtocol: info.protocol, ip: info.ip, announcedAddress: info.announcedAddress,
                    port: UInt16(port)))
            }
        } catch {
            let opened = (udpSockets, tcpServers)
            try? await worker.onLoop {
                opened.0.forEach { $0.close() }
                opened.1.forEach { $0.close() }
            }
            throw error
        }
        let opened = (udpSockets, tcpServers, sources)
        return try await worker.onLoop {
            let server = WebRtcServer(
                worker: worker, listenInfos: listenInfos, sources: opened.2, udpSockets: opened.0, tcpServers: opened.1)
            server.attachSockets()
            return server
        }
    }

    private func attachSockets() {
        for socket in udpSockets {
            socket.onDatagram = { [unowned self, unowned socket] data, address in
                let tuple = TransportTuple(localAddress: socket.localAddress, remoteAddress: address, transportProtocol: .udp)
                route(data, tuple: tuple, path: .udp(socket))
            }
        }
        for server in tcpServers {
            server.onConnection = { [unowned self] connection in
                connection.onPacket = { [unowned self, unowned connection] packet in
                    route(packet, tuple: connection.tuple, path: .tcp(connection))
                }
                connection.onClose = { [weak self, unowned connection] in self?.connectionClosed(connection) }
            }
        }
    }

    /// The bound ports, in listen-info order.
    public var ports: [(protocol: TransportTuple.TransportProtocol, port: Int)] {
        candidateSources.map { ($0.transportProtocol, Int($0.port)) }
    }

    private func route(_ packet: ByteBuffer, tuple: TransportTuple, path: MediaPath) {
        guard let key = demultiplexer.route(packet, tuple: tuple), let transport = transports[key] else {
            droppedPackets += 1
            return
        }
        transport.receive(
            packet, path: path, localAddress: tuple.localAddress, remoteAddress: tuple.remoteAddress,
            transportProtocol: tuple.transportProtocol)
    }

    private func connectionClosed(_ connection: TcpMediaConnection) {
        guard let key = demultiplexer.tuples[connection.tuple], let transport = transports[key] else { return }
        transport.tcpConnectionClosed(connection)
    }

    // MARK: - For transports, on the loop

    func register(_ transport: WebRtcTransport) throws {
        guard !isClosed else { throw EngineError.closed("webRtcServer") }
        transports[ObjectIdentifier(transport)] = transport
    }

    func unregister(_ transport: WebRtcTransport) {
        let key = ObjectIdentifier(transport)
        transports[key] = nil
        demultiplexer.removeTransport(key)
    }

    func apply(_ event: IceServerEvent, from transport: WebRtcTransport) {
        demultiplexer.apply(event, from: ObjectIdentifier(transport))
    }

    /// Closes the ports and every transport using them (they report `listenServerClosed`).
    public func close() {
        worker.eventLoop.execute { [self] in closeOnLoop() }
    }

    func closeOnLoop() {
        guard !isClosed else { return }
        isClosed = true
        for transport in transports.values { transport.closeOnLoop(reason: .listenServerClosed) }
        transports.removeAll()
        udpSockets.forEach { $0.close() }
        tcpServers.forEach { $0.close() }
        worker.webRtcServerClosed(self)
    }
}
