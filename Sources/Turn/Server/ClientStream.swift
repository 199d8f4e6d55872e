import NIOCore
import SocketIO

/// A client's TCP or TLS connection as a loop context writes to it: plain TCP served by a
/// ``SocketEventLoop``, TLS by a NIO channel (NIOSSL needs one).
enum ClientStream {
    case loop(StreamLoopConnection)
    case channel(any Channel)

    /// Tells two streams apart, to flush each once.
    var identity: ObjectIdentifier {
        switch self {
        case .loop(let connection): ObjectIdentifier(connection)
        case .channel(let channel): ObjectIdentifier(channel)
        }
    }

    /// Queues `bytes` for the next ``flush()``; dropped whole while the client does not read
    /// what waits already (about 1 MiB either way), as a relay drops UDP.
    func write(_ bytes: ByteBuffer) {
        switch self {
        case .loop(let connection): connection.write(bytes)
        case .channel(let channel):
            guard channel.isWritable else { return }
            channel.write(bytes, promise: nil)
        }
    }

    func flush() {
        switch self {
        case .loop(let connection): connection.flush()
        case .channel(let channel): channel.flush()
        }
    }

    func close() {
        switch self {
        case .loop(let connection): connection.close()
        case .channel(let channel): channel.close(promise: nil)
        }
    }
}
