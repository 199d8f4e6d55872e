import NIOCore

/// One accepted ICE-TCP connection (RFC 6544 passive, RFC 4571 framing) on a worker's loop.
///
/// Incoming bytes are reassembled into packets handed to ``onPacket``; outgoing packets are
/// framed, written, and flushed once per loop tick.
///
/// `@unchecked Sendable`: mutable members are touched only on ``eventLoop`` (its channel
/// handler runs there and the engine calls in only from there).
public final class TcpMediaConnection: @unchecked Sendable {
    public let eventLoop: any EventLoop
    public let localAddress: SocketAddress
    public let remoteAddress: SocketAddress
    public var onPacket: ((ByteBuffer) -> Void)?
    public var onClose: (() -> Void)?

    private let channel: any Channel
    private var framer = Rfc4571Framer()
    private var flushScheduled = false
    private(set) var isClosed = false

    init(channel: any Channel, localAddress: SocketAddress, remoteAddress: SocketAddress) {
        self.channel = channel
        self.eventLoop = channel.eventLoop
        self.localAddress = localAddress
        self.remoteAddress = remoteAddress
    }

    public var tuple: TransportTuple {
        TransportTuple(localAddress: localAddress, remoteAddress: remoteAddress, transportProtocol: .tcp)
    }

    public func send(_ packet: ByteBuffer) {
        eventLoop.preconditionInEventLoop()
        guard !isClosed, let framed = try? Rfc4571Framer.framed(packet, allocator: channel.allocator) else { return }
        channel.write(framed, promise: nil)
        guard !flushScheduled else { return }
        flushScheduled = true
        eventLoop.execute { [self] in
            flushScheduled = false
            channel.flush()
        }
    }

    public func close() {
        eventLoop.preconditionInEventLoop()
        guard !isClosed else { return }
        channel.close(promise: nil)
    }

    func receive(_ bytes: ByteBuffer) {
        framer.append(bytes)
        while !isClosed, let packet = framer.nextPacket() {
            onPacket?(packet)
        }
    }

    func closed() {
        guard !isClosed else { return }
        isClosed = true
        let handler = onClose
        onPacket = nil
        onClose = nil
        handler?()
    }
}
