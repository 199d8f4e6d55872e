import NIOCore

/// A bound UDP socket owned by one event loop, as the TURN server uses its listeners and relays:
/// ``UdpSocket`` on a NIO loop, ``DatagramLoopSocket`` on a ``SocketEventLoop``. Every member
/// must be used on the socket's loop.
public protocol DatagramSocket: AnyObject {
    /// The bound address (never a wildcard port).
    var localAddress: SocketAddress { get }
    /// Called on the loop for each datagram.
    var onDatagram: ((ByteBuffer, SocketAddress) -> Void)? { get set }
    /// Called on the loop after each batch of datagrams read together.
    var onReadComplete: (() -> Void)? { get set }
    /// Sends `data` to `address` now, or once the kernel has room for it.
    func send(_ data: ByteBuffer, to address: SocketAddress)
    /// Closes the socket; the future completes once it is closed.
    @discardableResult
    func close() -> EventLoopFuture<Void>
}

extension UdpSocket: DatagramSocket {}
