import CLinuxIO
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A UDP socket served by a ``SocketEventLoop``: the loop reads it with `recvmmsg` when it is
/// readable, and sends go to the kernel with `sendto`. A datagram the send buffer has no room
/// for waits in a queue, which the loop empties once the socket is writable again.
///
/// `@unchecked Sendable`: it is made, used and closed on its loop only (asserted in debug
/// builds); it crosses threads only as the result of a `submit` to that loop.
public final class DatagramLoopSocket: DatagramSocket, @unchecked Sendable {
    /// Datagrams that may wait for room in the send buffer; more are dropped, as UDP would.
    private static let maximumQueued = 1024

    public let eventLoop: SocketEventLoop
    public let localAddress: SocketAddress
    public var onDatagram: ((ByteBuffer, SocketAddress) -> Void)?
    public var onReadComplete: (() -> Void)?

    /// -1 once closed.
    private var descriptor: CInt
    private var queued: [(ByteBuffer, UdpDestination)] = []
    private var recentSources = RecentSources()
    /// Each datagram read is handed over in this buffer, reused from one to the next: a handler
    /// that keeps the bytes holds a reference, and `clear()` then takes new memory by
    /// copy-on-write, so nothing kept is overwritten.
    private var received = ByteBuffer()

    private init(eventLoop: SocketEventLoop, localAddress: SocketAddress, descriptor: CInt) {
        self.eventLoop = eventLoop
        self.localAddress = localAddress
        self.descriptor = descriptor
    }

    /// Binds `host:port` (port 0 = any free port) and starts reading it. Must be called on
    /// `eventLoop`. A port in use throws an `IOError` with `EADDRINUSE`, so callers can try another.
    /// `options.vectorReadCount` does not apply: the loop reads ``DatagramReceiveBuffers/count``
    /// datagrams at a time for all its sockets.
    public static func bind(
        host: String, port: Int, on eventLoop: SocketEventLoop, options: UdpSocket.Options = UdpSocket.Options()
    ) throws -> DatagramLoopSocket {
        assert(eventLoop.inEventLoop)
        let descriptor = try UdpSocket.openBound(try SocketAddress(ipAddress: host, port: port), options: options)
        return try adopt(descriptor: descriptor, host: host, on: eventLoop)
    }

    /// Serves `descriptor`, a datagram socket already bound to an address on `host` (one held
    /// back for later, say), from now on; it is closed on failure. Must be called on `eventLoop`.
    public static func adopt(descriptor: CInt, host: String, on eventLoop: SocketEventLoop) throws -> DatagramLoopSocket {
        assert(eventLoop.inEventLoop)
        do {
            let address = try BoundSocket.localAddress(of: descriptor, host: host)
            let socket = DatagramLoopSocket(eventLoop: eventLoop, localAddress: address, descriptor: descriptor)
            try eventLoop.register(socket, descriptor: descriptor)
            return socket
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    public func send(_ data: ByteBuffer, to address: SocketAddress) {
        send(data, to: UdpDestination(address))
    }

    /// ``send(_:to:)`` to a destination made beforehand.
    public func send(_ data: ByteBuffer, to destination: UdpDestination) {
        assert(eventLoop.inEventLoop)
        guard descriptor >= 0 else { return }
        if queued.isEmpty {
            if destination.send(data, from: descriptor) { return }
            eventLoop.watch(descriptor: descriptor, writable: true)
        }
        if queued.count < Self.maximumQueued {
            queued.append((data, destination))
        }
    }

    /// Connects the socket to `destination` (connect(2)) and answers the destination to send to
    /// from then on, or nil when the kernel refused (the socket is then as before); as
    /// ``UdpSocket/connect(to:)``.
    public func connect(to destination: UdpDestination) -> UdpDestination? {
        assert(eventLoop.inEventLoop)
        guard descriptor >= 0 else { return nil }
        return destination.connect(descriptor)
    }

    @discardableResult
    public func close() -> EventLoopFuture<Void> {
        assert(eventLoop.inEventLoop)
        onDatagram = nil
        onReadComplete = nil
        queued.removeAll()
        if descriptor >= 0 {
            eventLoop.close(descriptor: descriptor)
            descriptor = -1
        }
        return eventLoop.makeSucceededVoidFuture()
    }

    /// What the loop calls when `epoll` reports the socket.
    func handle(events: UInt32) {
        if events & (EPOLLIN.rawValue | EPOLLERR.rawValue) != 0 {
            readDatagrams()
        }
        if events & EPOLLOUT.rawValue != 0 {
            sendQueued()
        }
    }

    /// Reads a few batches, then lets the loop serve its other sockets; the socket stays
    /// readable (level-triggered) if more is waiting.
    private func readDatagrams() {
        let buffers = eventLoop.receiveBuffers
        var delivered = false
        batches: for _ in 0..<4 {
            let count = buffers.receive(from: descriptor)
            if count > 0 { eventLoop.datagramBatchTime = .now() }
            for index in 0..<count {
                // A handler may close this socket.
                guard let onDatagram else { break batches }
                // A datagram longer than a slice would go on cut short, as if whole.
                guard !buffers.isTruncated(index), let source = buffers.source(index, recent: &recentSources) else {
                    continue
                }
                delivered = true
                received.clear()
                received.writeBytes(buffers.datagram(index))
                onDatagram(received, source)
            }
            if count < DatagramReceiveBuffers.count { break }
        }
        if delivered { onReadComplete?() }
    }

    private func sendQueued() {
        var sent = 0
        for (data, destination) in queued {
            guard destination.send(data, from: descriptor) else { break }
            sent += 1
        }
        queued.removeFirst(sent)
        if queued.isEmpty, descriptor >= 0 {
            eventLoop.watch(descriptor: descriptor, writable: false)
        }
    }
}
