import NIOCore
import SocketIO

/// The sockets of a list of listen infos — a UDP socket or an ICE-TCP listener each — bound on
/// one worker's loop, with the ICE candidate sources they make. Opening is all or nothing.
///
/// Must be used on the worker's loop once opened.
struct MediaListeners {
    private(set) var udpSockets: [UdpSocket] = []
    private(set) var tcpServers: [TcpMediaServer] = []
    /// One per listen info, in order, with the bound port.
    private(set) var candidateSources: [IceCandidateSource] = []

    /// Binds each listen info on its fixed port, else on a free port of its range or the
    /// worker's; closes what it opened if one fails.
    static func open(
        _ listenInfos: [TransportListenInfo], worker: Worker, udpOptions: UdpSocket.Options
    ) async throws -> MediaListeners {
        var listeners = MediaListeners()
        do {
            for info in listenInfos {
                let range = info.portRange ?? worker.settings.rtcPortRange
                let fixedPort = info.port.flatMap { $0 == 0 ? nil : $0 }
                let port: Int
                switch info.protocol {
                case .udp:
                    let socket =
                        if let fixedPort {
                            try await UdpSocket.bind(
                                host: info.ip, port: fixedPort, on: worker.eventLoop, options: udpOptions)
                        } else {
                            try await UdpSocket.bind(host: info.ip, in: range, on: worker.eventLoop, options: udpOptions)
                        }
                    listeners.udpSockets.append(socket)
                    port = socket.localAddress.port ?? 0
                case .tcp:
                    let server =
                        if let fixedPort {
                            try await TcpMediaServer.bind(host: info.ip, port: fixedPort, on: worker.eventLoop)
                        } else {
                            try await TcpMediaServer.bind(host: info.ip, in: range, on: worker.eventLoop)
                        }
                    listeners.tcpServers.append(server)
                    port = server.localAddress.port ?? 0
                }
                listeners.candidateSources.append(IceCandidateSource(
                    transportProtocol: info.protocol, ip: info.ip, announcedAddress: info.announcedAddress,
                    port: UInt16(port)))
            }
        } catch {
            let opened = listeners
            try? await worker.onLoop { opened.close() }
            throw error
        }
        return listeners
    }

    /// Routes every packet (UDP datagram or RFC 4571 frame) with its tuple and return path to
    /// `onPacket`, and every closed ICE-TCP connection to `onConnectionClosed`.
    func attach(
        onPacket: @escaping (ByteBuffer, TransportTuple, MediaPath) -> Void,
        onConnectionClosed: @escaping (TcpMediaConnection) -> Void
    ) {
        for socket in udpSockets {
            socket.onDatagram = { [unowned socket] data, address in
                onPacket(
                    data, TransportTuple(localAddress: socket.localAddress, remoteAddress: address, transportProtocol: .udp),
                    .udp(socket))
            }
        }
        for server in tcpServers {
            server.onConnection = { connection in
                connection.onPacket = { [unowned connection] packet in onPacket(packet, connection.tuple, .tcp(connection)) }
                connection.onClose = { [unowned connection] in onConnectionClosed(connection) }
            }
        }
    }

    func close() {
        udpSockets.forEach { $0.close() }
        tcpServers.forEach { $0.close() }
    }
}
