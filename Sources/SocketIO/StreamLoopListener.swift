import CLinuxIO
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP listening socket served by a ``SocketEventLoop``: each connection it accepts becomes a
/// ``StreamLoopConnection`` on the same loop, handed to ``onAccept``.
///
/// `@unchecked Sendable`: made, used and closed on its loop only (asserted in debug builds).
public final class StreamLoopListener: @unchecked Sendable {
    /// Connections accepted per wakeup before the loop serves its other sockets.
    private static let acceptsPerWakeup = 64
    /// How long accepting pauses when the process is out of descriptors: the connection waiting
    /// would otherwise keep the (level-triggered) socket ready and the loop spinning.
    private static let pauseWhenOutOfDescriptors = TimeAmount.milliseconds(100)

    public let eventLoop: SocketEventLoop
    public let localAddress: SocketAddress
    /// Called on the loop with each accepted connection; without it, connections are closed.
    public var onAccept: ((StreamLoopConnection) -> Void)?

    /// -1 once closed.
    private var descriptor: CInt

    private init(eventLoop: SocketEventLoop, localAddress: SocketAddress, descriptor: CInt) {
        self.eventLoop = eventLoop
        self.localAddress = localAddress
        self.descriptor = descriptor
    }

    /// Listens on `host:port` (port 0 = any free port). With `reusePort`, a listener of each loop
    /// can share the port and the kernel spreads connections over them. Must be called on
    /// `eventLoop`.
    public static func bind(
        host: String, port: Int, on eventLoop: SocketEventLoop, reusePort: Bool, backlog: CInt = 1024
    ) throws -> StreamLoopListener {
        assert(eventLoop.inEventLoop)
        let descriptor = try BoundSocket.open(
            try SocketAddress(ipAddress: host, port: port), type: SOCK_STREAM, reusePort: reusePort,
            ipv6Only: host.contains(":"), receiveBufferSize: nil)
        do {
            guard listen(descriptor, backlog) == 0 else { throw IOError(errnoCode: errno, reason: "listen") }
            let listener = StreamLoopListener(
                eventLoop: eventLoop, localAddress: try BoundSocket.localAddress(of: descriptor, host: host),
                descriptor: descriptor)
            try eventLoop.register(listener, descriptor: descriptor)
            return listener
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    private func acceptConnections() {
        for _ in 0..<Self.acceptsPerWakeup {
            let accepted = CLinuxIO_acceptNoDelay(descriptor)
            guard accepted >= 0 else {
                let code = errno
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    pauseAccepting()
                }
                // EAGAIN: none left; ECONNABORTED and the like: that connection is gone.
                if code != ECONNABORTED { return }
                continue
            }
            do {
                let connection = try StreamLoopConnection.adopt(accepted, on: eventLoop)
                guard let onAccept else {
                    connection.close()
                    continue
                }
                onAccept(connection)
            } catch {
                // Reset before it could be set up.
                Glibc.close(accepted)
            }
        }
    }

    private func pauseAccepting() {
        eventLoop.watch(descriptor: descriptor, readable: false, writable: false)
        eventLoop.scheduleTask(in: Self.pauseWhenOutOfDescriptors) { [self] in
            if descriptor >= 0 { eventLoop.watch(descriptor: descriptor, writable: false) }
        }
    }
}

extension StreamLoopListener: LoopSocket {
    func handle(events: UInt32) {
        acceptConnections()
    }

    /// Stops listening; connections accepted before stay open.
    @discardableResult
    public func close() -> EventLoopFuture<Void> {
        assert(eventLoop.inEventLoop)
        onAccept = nil
        if descriptor >= 0 {
            eventLoop.close(descriptor: descriptor)
            descriptor = -1
        }
        return eventLoop.makeSucceededVoidFuture()
    }
}
