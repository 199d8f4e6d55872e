import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// A UDP socket owned by one worker's event loop.
///
/// Received datagrams are handed to ``onDatagram`` on the loop. Sends go straight to the kernel
/// with `sendto` (mediasoup does the same through libuv's try-send): an SFU sends each packet to
/// many sockets, one packet per socket at a time, and NIO's write path (pipeline, envelope,
/// pending-write queue, a flush task per socket) cost more than the system call itself. Only
/// when the kernel's send buffer is full is a datagram queued through NIO, which waits for the
/// socket to become writable; later sends queue behind it until that flush.
///
/// `@unchecked Sendable`: every mutable member is touched only on ``eventLoop`` — the channel
/// handler runs there and the engine calls in only from there (checked by
/// `preconditionInEventLoop` in debug builds).
public final class UdpSocket: @unchecked Sendable {
    public let eventLoop: any EventLoop
    /// The bound address (never a wildcard port).
    public private(set) var localAddress: SocketAddress
    /// Called on the loop for each datagram.
    public var onDatagram: ((ByteBuffer, SocketAddress) -> Void)?

    /// The socket NIO reads from and this class writes to; NIO owns and closes it.
    private let descriptor: CInt
    private var channel: (any Channel)?
    private var queuedWrites = false

    private init(eventLoop: any EventLoop, localAddress: SocketAddress, descriptor: CInt) {
        self.eventLoop = eventLoop
        self.localAddress = localAddress
        self.descriptor = descriptor
    }

    /// Binds `host:port` (port 0 = any free port) on `eventLoop`, reading up to
    /// `vectorReadCount` datagrams per system call.
    public static func bind(
        host: String, port: Int, on eventLoop: any EventLoop, vectorReadCount: Int = 16,
        receiveBufferSize: Int = 1 << 20
    ) async throws -> UdpSocket {
        let address = try SocketAddress(ipAddress: host, port: port)
        let socket = UdpSocket(eventLoop: eventLoop, localAddress: address, descriptor: try openBound(address))
        let created = NIOLockedValueBox<(any Channel)?>(nil)
        let bound = DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBufferSize))
            .channelOption(.datagramVectorReadMessageCount, value: vectorReadCount)
            .channelOption(
                .recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: vectorReadCount * 2048))
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

    /// A non-blocking datagram socket bound to `address`; errors are `IOError`s with the errno.
    private static func openBound(_ address: SocketAddress) throws -> CInt {
        let descriptor = Glibc.socket(
            address.protocol.rawValue, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        let result = address.withSockAddr { pointer, length in Glibc.bind(descriptor, pointer, socklen_t(length)) }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw IOError(errnoCode: code, reason: "bind(descriptor:ptr:bytes:)")
        }
        return descriptor
    }

    /// Binds a random free port of `range`, trying other ports while they are taken.
    public static func bind(
        host: String, in range: PortRange, on eventLoop: any EventLoop, vectorReadCount: Int = 16,
        receiveBufferSize: Int = 1 << 20, attempts: Int = 64
    ) async throws -> UdpSocket {
        var lastError: any Error = NetworkError.noFreePort(range)
        for _ in 0..<attempts {
            do {
                return try await bind(
                    host: host, port: Int.random(in: range.min...range.max), on: eventLoop,
                    vectorReadCount: vectorReadCount, receiveBufferSize: receiveBufferSize)
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                lastError = NetworkError.noFreePort(range)
            } catch {
                lastError = error
                break
            }
        }
        throw lastError
    }

    /// Sends `data` to `address` now, or queues it when the kernel cannot take it yet. A datagram
    /// the kernel refuses for another reason (unreachable network, say) is dropped, as UDP is.
    public func send(_ data: ByteBuffer, to address: SocketAddress) {
        eventLoop.preconditionInEventLoop()
        guard let channel else { return }
        if !queuedWrites, sendNow(data, to: address) { return }
        channel.write(AddressedEnvelope(remoteAddress: address, data: data), promise: nil)
        guard !queuedWrites else { return }
        queuedWrites = true
        eventLoop.execute { [self] in
            queuedWrites = false
            channel.flush()
        }
    }

    /// False when the send buffer is full and the datagram still needs sending.
    private func sendNow(_ data: ByteBuffer, to address: SocketAddress) -> Bool {
        let sent = data.withUnsafeReadableBytes { bytes in
            address.withSockAddr { pointer, length in
                Glibc.sendto(descriptor, bytes.baseAddress, bytes.count, 0, pointer, socklen_t(length))
            }
        }
        guard sent < 0 else { return true }
        let code = errno
        return code != EAGAIN && code != EWOULDBLOCK && code != ENOBUFS
    }

    public func close() {
        eventLoop.preconditionInEventLoop()
        onDatagram = nil
        channel?.close(promise: nil)
        channel = nil
    }

    fileprivate func deliver(_ envelope: AddressedEnvelope<ByteBuffer>) {
        onDatagram?(envelope.data, envelope.remoteAddress)
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

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        socket?.deliver(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        socket?.channelClosed()
        context.fireChannelInactive()
    }

    /// ICMP errors (peer gone) surface as read errors on UDP sockets; they must not close the socket.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
