import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A UDP socket owned by one worker's event loop.
///
/// Received datagrams are handed to ``onDatagram`` on the loop. Sends are written at once and
/// flushed once per loop tick, so what one read batch produces leaves in a single `sendmmsg`.
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

    private var channel: (any Channel)?
    private var flushScheduled = false

    private init(eventLoop: any EventLoop, localAddress: SocketAddress) {
        self.eventLoop = eventLoop
        self.localAddress = localAddress
    }

    /// Binds `host:port` (port 0 = any free port) on `eventLoop`, reading up to
    /// `vectorReadCount` datagrams per system call.
    public static func bind(
        host: String, port: Int, on eventLoop: any EventLoop, vectorReadCount: Int = 16,
        receiveBufferSize: Int = 1 << 20
    ) async throws -> UdpSocket {
        let socket = UdpSocket(eventLoop: eventLoop, localAddress: try SocketAddress(ipAddress: host, port: port))
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
            .bind(host: host, port: port)
        let channel: any Channel
        do {
            channel = try await bound.get()
        } catch {
            // DatagramBootstrap leaves the channel of a failed bind open: close it, or every
            // busy port tried leaks a socket.
            try? await created.withLockedValue { $0 }?.close()
            throw error
        }
        socket.channel = channel
        if let bound = channel.localAddress { socket.localAddress = bound }
        return socket
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

    /// Queues `data` for `address`; the flush happens once per loop tick.
    public func send(_ data: ByteBuffer, to address: SocketAddress) {
        eventLoop.preconditionInEventLoop()
        guard let channel else { return }
        channel.write(AddressedEnvelope(remoteAddress: address, data: data), promise: nil)
        guard !flushScheduled else { return }
        flushScheduled = true
        eventLoop.execute { [self] in
            flushScheduled = false
            channel.flush()
        }
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

    /// ICMP errors (peer gone) surface as read errors on UDP sockets; they must not close the socket.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
