import CLinuxIO
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection served by a ``SocketEventLoop``. What arrives is appended to a buffer handed
/// to ``onReceive``, which takes the whole messages out of it and leaves the start of an
/// incomplete one for the next read. ``write(_:)`` collects bytes that ``flush()`` sends with one
/// system call; what the kernel cannot take yet waits until the socket is writable.
///
/// `@unchecked Sendable`: made, used and closed on its loop only (asserted in debug builds).
public final class StreamLoopConnection: @unchecked Sendable {
    /// Bytes asked of the kernel per read.
    private static let readSize = 16 << 10
    /// Reads per wakeup before the loop serves its other sockets (it comes back: the socket
    /// stays ready).
    private static let readsPerWakeup = 4
    /// Bytes that may wait to be sent. A write that would go beyond is dropped whole, so the
    /// stream stays well formed: the peer is not reading, and a relay drops as UDP would.
    public static let maximumUnsent = 1 << 20

    public let eventLoop: SocketEventLoop
    public let localAddress: SocketAddress
    public let remoteAddress: SocketAddress
    /// Called on the loop after each read with everything received and not yet taken. Throwing
    /// (bytes that cannot be framed) closes the connection.
    public var onReceive: ((inout ByteBuffer) throws -> Void)?
    /// Called once when the connection closes, whoever closed it.
    public var onClose: (() -> Void)?

    /// -1 once closed.
    private var descriptor: CInt
    private var received: ByteBuffer
    private var unsent: ByteBuffer
    /// Whether ``onReceive`` is running, holding `received`.
    private var isDelivering = false
    private var waitingForRoom = false

    private init(eventLoop: SocketEventLoop, descriptor: CInt, localAddress: SocketAddress, remoteAddress: SocketAddress) {
        self.eventLoop = eventLoop
        self.descriptor = descriptor
        self.localAddress = localAddress
        self.remoteAddress = remoteAddress
        let allocator = ByteBufferAllocator()
        received = allocator.buffer(capacity: 0)
        unsent = allocator.buffer(capacity: 0)
    }

    /// Serves the connected socket `descriptor` on `eventLoop`. The addresses carry no host text
    /// (as datagram sources do). On error the caller still owns `descriptor`.
    static func adopt(_ descriptor: CInt, on eventLoop: SocketEventLoop) throws -> StreamLoopConnection {
        let connection = StreamLoopConnection(
            eventLoop: eventLoop, descriptor: descriptor,
            localAddress: try BoundSocket.localAddress(of: descriptor, host: ""),
            remoteAddress: try BoundSocket.remoteAddress(of: descriptor, host: ""))
        try eventLoop.register(connection, descriptor: descriptor)
        return connection
    }

    /// Queues `data` for the next ``flush()``.
    public func write(_ data: ByteBuffer) {
        assert(eventLoop.inEventLoop)
        guard descriptor >= 0, unsent.readableBytes + data.readableBytes <= Self.maximumUnsent else { return }
        var data = data
        unsent.writeBuffer(&data)
    }

    /// Sends what was written, unless the socket is still waiting for room.
    public func flush() {
        assert(eventLoop.inEventLoop)
        guard descriptor >= 0, !waitingForRoom, unsent.readableBytes > 0 else { return }
        sendUnsent()
    }

    private func sendUnsent() {
        let sent = unsent.withUnsafeReadableBytes { bytes in
            Glibc.send(descriptor, bytes.baseAddress, bytes.count, CInt(MSG_NOSIGNAL))
        }
        guard sent >= 0 else {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR {
                waitForRoom(true)
            } else {
                close()
            }
            return
        }
        unsent.moveReaderIndex(forwardBy: sent)
        if unsent.readableBytes == 0 {
            unsent.clear()
            waitForRoom(false)
        } else {
            waitForRoom(true)
        }
    }

    private func waitForRoom(_ waiting: Bool) {
        guard waiting != waitingForRoom else { return }
        waitingForRoom = waiting
        eventLoop.watch(descriptor: descriptor, writable: waiting)
    }

    private func readAvailable() {
        for _ in 0..<Self.readsPerWakeup {
            var result = 0
            received.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.readSize) { bytes in
                result = Glibc.recv(descriptor, bytes.baseAddress, bytes.count, 0)
                return max(result, 0)
            }
            if result == 0 {
                close()
                return
            }
            if result < 0 {
                let code = errno
                if code != EAGAIN && code != EWOULDBLOCK && code != EINTR { close() }
                return
            }
            isDelivering = true
            do {
                try onReceive?(&received)
            } catch {
                close()
            }
            isDelivering = false
            // A handler may have closed the connection.
            guard descriptor >= 0 else {
                received = ByteBuffer()
                return
            }
            compactReceived()
            if result < Self.readSize { return }
        }
    }

    /// Keeps the receive buffer from growing: empties it once all was taken, and otherwise moves
    /// an incomplete message to its front when enough was taken before it.
    private func compactReceived() {
        if received.readableBytes == 0 {
            received.clear()
        } else if received.readerIndex >= Self.readSize {
            received.discardReadBytes()
        }
    }
}

extension StreamLoopConnection: LoopSocket {
    func handle(events: UInt32) {
        if events & (EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            readAvailable()
        }
        if events & EPOLLOUT.rawValue != 0, descriptor >= 0 {
            sendUnsent()
        }
    }

    /// Closes the socket, dropping what was not sent, and calls ``onClose``.
    @discardableResult
    public func close() -> EventLoopFuture<Void> {
        assert(eventLoop.inEventLoop)
        guard descriptor >= 0 else { return eventLoop.makeSucceededVoidFuture() }
        eventLoop.close(descriptor: descriptor)
        descriptor = -1
        // The handler being called holds `received`: it is let go once the handler returns.
        if !isDelivering { received = ByteBuffer() }
        unsent = ByteBuffer()
        let closed = onClose
        onReceive = nil
        onClose = nil
        closed?()
        return eventLoop.makeSucceededVoidFuture()
    }
}
