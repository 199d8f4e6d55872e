import NIOCore
import SocketIO

/// One accepted ICE-TCP connection (RFC 6544 passive, RFC 4571 framing) on a worker's loop.
///
/// Packets are framed out of the bytes the connection read, in place, and handed to
/// ``onPacket``; outgoing packets are framed, written, and flushed once per loop tick.
///
/// `@unchecked Sendable`: mutable members are touched only on ``eventLoop`` (the connection
/// calls in from there, and so does the engine).
public final class TcpMediaConnection: @unchecked Sendable {
    public let eventLoop: SocketEventLoop
    public let localAddress: SocketAddress
    public let remoteAddress: SocketAddress
    public var onPacket: ((ByteBuffer) -> Void)?
    public var onClose: (() -> Void)?

    private let connection: StreamLoopConnection
    private var flushScheduled = false
    private(set) var isClosed = false
    /// A valid ICE check arrived on it: it carries a transport's media now, and is no longer
    /// closed for idling (``TcpMediaServer``).
    var isClaimed = false

    init(connection: StreamLoopConnection) {
        self.connection = connection
        self.eventLoop = connection.eventLoop
        self.localAddress = connection.localAddress
        self.remoteAddress = connection.remoteAddress
        connection.onReceive = { [weak self] received in
            while let self, !isClosed, let packet = Rfc4571Framer.takePacket(from: &received) {
                onPacket?(packet)
            }
        }
        connection.onClose = { [weak self] in self?.closed() }
    }

    public var tuple: TransportTuple {
        TransportTuple(localAddress: localAddress, remoteAddress: remoteAddress, transportProtocol: .tcp)
    }

    public func send(_ packet: ByteBuffer) {
        eventLoop.preconditionInEventLoop()
        guard !isClosed, let framed = try? Rfc4571Framer.framed(packet) else { return }
        connection.write(framed)
        guard !flushScheduled else { return }
        flushScheduled = true
        eventLoop.execute { [self] in
            flushScheduled = false
            connection.flush()
        }
    }

    public func close() {
        eventLoop.preconditionInEventLoop()
        guard !isClosed else { return }
        connection.close()
    }

    private func closed() {
        guard !isClosed else { return }
        isClosed = true
        let handler = onClose
        onPacket = nil
        onClose = nil
        handler?()
    }
}
