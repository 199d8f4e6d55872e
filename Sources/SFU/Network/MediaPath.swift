import NIOCore
import SocketIO

/// Where packets for one ICE tuple leave: a UDP socket (to the tuple's remote address) or an
/// ICE-TCP connection.
enum MediaPath {
    case udp(UdpSocket)
    case tcp(TcpMediaConnection)

    func send(_ packet: ByteBuffer, to remoteAddress: SocketAddress) {
        switch self {
        case .udp(let socket): socket.send(packet, to: remoteAddress)
        case .tcp(let connection): connection.send(packet)
        }
    }
}
