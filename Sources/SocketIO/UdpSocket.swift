import CLinuxIO
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// A UDP socket owned by one event loop, for the media engine's transports and the TURN
/// server's listeners and relays. On a ``SocketEventLoop`` it is that loop's
/// ``DatagramLoopSocket``; on a NIO loop, NIO reads it through a datagram channel, as described
/// below.
///
/// Received datagrams are handed to ``onDatagram`` on the loop, and ``onReadComplete`` follows
/// each batch NIO read with one `recvmmsg`. Sends go straight to the kernel with `sendto`
/// (mediasoup does the same through libuv's try-send): a media server sends each packet to
/// many sockets, one packet per socket at a time, and NIO's write path (pipeline, envelope,
/// pending-write queue, a flush per socket) cost more than the system call itself. Only when the
/// kernel's send buffer is full is a datagram queued through NIO, which waits for the socket to
/// become writable; later sends queue behind it until that flush.
///
/// `@unchecked Sendable`: every mutable member is touched only on ``eventLoop`` — the channel
/// handler runs there and callers call in only from there (checked by
/// `preconditionInEventLoop` in debug builds).
public final class UdpSocket: @unchecked Sendable {
    /// How the socket is set up before it binds.
    public struct Options: Sendable {
        /// Datagrams read per system call on a NIO loop (a ``SocketEventLoop`` reads
        /// ``DatagramReceiveBuffers/count`` at a time for all its sockets).
        public var vectorReadCount: Int
        /// SO_RCVBUF; nil keeps the kernel's default.
        public var receiveBufferSize: Int?
        /// Several sockets on one port, one per event loop, the kernel spreading senders over
        /// them by address (SO_REUSEADDR and SO_REUSEPORT).
        public var reusePort: Bool
        /// An IPv6 socket only for IPv6, so `::` and `0.0.0.0` can bind the same port.
        public var ipv6Only: Bool

        public init(
            vectorReadCount: Int = 16, receiveBufferSize: Int? = 1 << 20, reusePort: Bool = false, ipv6Only: Bool = false
        ) {
            self.vectorReadCount = vectorReadCount
            self.receiveBufferSize = receiveBufferSize
            self.reusePort = reusePort
            self.ipv6Only = ipv6Only
        }
    }

    public let eventLoop: any EventLoop
    /// The bound address (never a wildcard port).
    public private(set) var localAddress: SocketAddress
    /// Called on the loop for each datagram.
    public var onDatagram: ((ByteBuffer, SocketAddress) -> Void)? {
        didSet { loopSocket?.onDatagram = onDatagram }
    }
    /// Called on the loop after each batch of datagrams.
    public var onReadComplete: (() -> Void)? {
        didSet { loopSocket?.onReadComplete = onReadComplete }
    }

    /// On a ``SocketEventLoop``: the socket it serves, which calls the handlers itself.
    private var loopSocket: DatagramLoopSocket?
    /// On a NIO loop: the socket NIO reads from and this class writes to; NIO owns and closes it.
    private let descriptor: CInt
    private var channel: (any Channel)?
    private var queuedWrites = false

    private init(eventLoop: any EventLoop, localAddress: SocketAddress, descriptor: CInt) {
        self.eventLoop = eventLoop
        self.localAddress = localAddress
        self.descriptor = descriptor
    }

    private init(loopSocket: DatagramLoopSocket) {
        self.eventLoop = loopSocket.eventLoop
        self.localAddress = loopSocket.localAddress
        self.descriptor = -1
        self.loopSocket = loopSocket
    }

    /// Binds `host:port` (port 0 = any free port) on `eventLoop`. A port in use throws an
    /// `IOError` with `EADDRINUSE`, so callers can try another.
    public static func bind(
        host: String, port: Int, on eventLoop: any EventLoop, options: Options = Options()
    ) async throws -> UdpSocket {
        if let loop = eventLoop as? SocketEventLoop {
            let bound = try await loop.submit { try DatagramLoopSocket.bind(host: host, port: port, on: loop, options: options) }.get()
            return UdpSocket(loopSocket: bound)
        }
        let descriptor = try openBound(try SocketAddress(ipAddress: host, port: port), options: options)
        return try await adopt(descriptor: descriptor, host: host, on: eventLoop, options: options)
    }

    /// Serves `descriptor`, a datagram socket already bound to an address on `host` (one held
    /// back for later, say), on `eventLoop` from now on. `options` apply as far as they concern
    /// reading.
    public static func adopt(
        descriptor: CInt, host: String, on eventLoop: any EventLoop, options: Options = Options()
    ) async throws -> UdpSocket {
        if let loop = eventLoop as? SocketEventLoop {
            let adopted = try await loop.submit { try DatagramLoopSocket.adopt(descriptor: descriptor, host: host, on: loop) }.get()
            return UdpSocket(loopSocket: adopted)
        }
        let address: SocketAddress
        do {
            address = try BoundSocket.localAddress(of: descriptor, host: host)
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        let socket = UdpSocket(eventLoop: eventLoop, localAddress: address, descriptor: descriptor)
        let created = NIOLockedValueBox<(any Channel)?>(nil)
        let bound = DatagramBootstrap(group: eventLoop)
            .channelOption(.datagramVectorReadMessageCount, value: options.vectorReadCount)
            .channelOption(
                .recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: options.vectorReadCount * UdpSocketHandler.sliceSize))
            .channelInitializer { [weak socket] channel in
                created.withLockedValue { $0 = channel }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UdpSocketHandler(socket: socket))
                }
            }
            .withBoundSocket(socket.descriptor)
        let channel: any Channel
        do {
            channel = try await bound.get()
        } catch {
            // A channel whose setup failed stays open: close it (and with it the socket).
            try? await created.withLockedValue { $0 }?.close()
            throw error
        }
        socket.channel = channel
        if let bound = channel.localAddress { socket.localAddress = bound }
        return socket
    }

    /// Binds `host` on the port `choosePort` picks, picking again while the port is taken; nil
    /// when all `attempts` picks were taken. Other errors are thrown.
    public static func bindFreePort(
        host: String, on eventLoop: any EventLoop, options: Options = Options(), attempts: Int,
        choosePort: () -> Int
    ) async throws -> UdpSocket? {
        for _ in 0..<attempts {
            do {
                return try await bind(host: host, port: choosePort(), on: eventLoop, options: options)
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                continue
            }
        }
        return nil
    }

    /// A non-blocking datagram socket bound to `address`, set up as `options` say; errors are `IOError`s with the errno.
    public static func openBound(_ address: SocketAddress, options: Options) throws -> CInt {
        try BoundSocket.open(
            address, type: SOCK_DGRAM, reusePort: options.reusePort, ipv6Only: options.ipv6Only,
            receiveBufferSize: options.receiveBufferSize)
    }

    /// Sends `data` to `address` now, or queues it when the kernel cannot take it yet. A datagram
    /// the kernel refuses for another reason (unreachable network, say) is dropped, as UDP is.
    public func send(_ data: ByteBuffer, to address: SocketAddress) {
        send(data, to: UdpDestination(address))
    }

    /// ``send(_:to:)`` to a destination made beforehand: what a transport sending every packet
    /// to one remote uses.
    public func send(_ data: ByteBuffer, to destination: UdpDestination) {
        if let loopSocket { return loopSocket.send(data, to: destination) }
        eventLoop.preconditionInEventLoop()
        guard channel != nil else { return }
        if !queuedWrites, destination.send(data, from: descriptor) { return }
        queue(data, to: destination.address)
    }

    /// Connects the socket to `destination` (connect(2)) and answers the destination to send
    /// to from then on, or nil when the kernel refused (the socket is then as before). A
    /// connected socket's sends skip the kernel's per-packet route lookup, and it receives only
    /// from `destination`: the kernel drops other senders' datagrams (answering them with ICMP
    /// port unreachable).
    public func connect(to destination: UdpDestination) -> UdpDestination? {
        if let loopSocket { return loopSocket.connect(to: destination) }
        eventLoop.preconditionInEventLoop()
        guard channel != nil else { return nil }
        return destination.connect(descriptor)
    }

    /// Queues a datagram through NIO, which sends it once the socket is writable; later sends
    /// queue behind it until then.
    private func queue(_ data: ByteBuffer, to address: SocketAddress) {
        guard let channel else { return }
        channel.write(AddressedEnvelope(remoteAddress: address, data: data), promise: nil)
        guard !queuedWrites else { return }
        queuedWrites = true
        eventLoop.execute { [self] in
            queuedWrites = false
            channel.flush()
        }
    }

    /// Closes the socket; the future completes once it is closed.
    @discardableResult
    public func close() -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        onDatagram = nil
        onReadComplete = nil
        if let loopSocket {
            self.loopSocket = nil
            return loopSocket.close()
        }
        let closed = channel?.close() ?? eventLoop.makeSucceededVoidFuture()
        channel = nil
        return closed.recover { _ in }
    }

    fileprivate func deliver(_ envelope: AddressedEnvelope<ByteBuffer>) {
        onDatagram?(envelope.data, envelope.remoteAddress)
    }

    fileprivate func readComplete() {
        onReadComplete?()
    }

    /// NIO closed the socket: its descriptor number may be reused at once, so never write to it again.
    fileprivate func channelClosed() {
        channel = nil
    }
}

private final class UdpSocketHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private weak var socket: UdpSocket?

    init(socket: UdpSocket?) {
        self.socket = socket
    }

    /// Bytes each datagram of a vector read gets: as many as on the epoll loop (a jumbo frame).
    static let sliceSize = DatagramReceiveBuffers.sliceSize

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        // NIO does not report a datagram cut short to its slice: one that fills it may have
        // been, and goes no further rather than on corrupt (as the epoll loop's MSG_TRUNC check).
        guard envelope.data.readableBytes < Self.sliceSize else { return }
        socket?.deliver(envelope)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        socket?.readComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        socket?.channelClosed()
        context.fireChannelInactive()
    }

    /// ICMP errors (peer gone) surface as read errors on UDP sockets; they must not close the socket.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
