import Foundation
import NIOCore
import SocketIO

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
    private let listeners: MediaListeners

    private var demultiplexer = WebRtcServerDemultiplexer<ObjectIdentifier>()
    private var transports: [ObjectIdentifier: WebRtcTransport] = [:]
    /// Datagrams no transport claimed.
    public private(set) var droppedPackets = 0
    private var isClosed = false

    private init(worker: Worker, listenInfos: [TransportListenInfo], listeners: MediaListeners) {
        self.id = UUID().uuidString.lowercased()
        self.worker = worker
        self.listenInfos = listenInfos
        self.listeners = listeners
    }

    static func open(worker: Worker, listenInfos: [TransportListenInfo]) async throws -> WebRtcServer {
        guard !listenInfos.isEmpty else { throw EngineError.invalidArgument("empty listenInfos") }
        let listeners = try await MediaListeners.open(
            listenInfos, worker: worker, udpOptions: UdpSocket.Options(vectorReadCount: 32, receiveBufferSize: 4 << 20))
        return try await worker.onLoop {
            let server = WebRtcServer(worker: worker, listenInfos: listenInfos, listeners: listeners)
            listeners.attach(
                onPacket: { [unowned server] packet, tuple, path in server.route(packet, tuple: tuple, path: path) },
                onConnectionClosed: { [weak server] connection in server?.connectionClosed(connection) })
            return server
        }
    }

    /// The bound ports, in listen-info order.
    public var ports: [(protocol: TransportTuple.TransportProtocol, port: Int)] {
        candidateSources.map { ($0.transportProtocol, Int($0.port)) }
    }

    /// The bound sockets as candidate sources, in listen-info order (ports resolved).
    var candidateSources: [IceCandidateSource] { listeners.candidateSources }

    private func route(_ packet: ByteBuffer, tuple: TransportTuple, path: MediaPath) {
        guard let key = demultiplexer.route(packet, tuple: tuple), let transport = transports[key] else {
            droppedPackets += 1
            return
        }
        transport.receive(packet, tuple: tuple, path: path)
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
        listeners.close()
        worker.webRtcServerClosed(self)
    }
}
