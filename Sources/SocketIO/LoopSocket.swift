import NIOCore

/// A socket a ``SocketEventLoop`` watches: the loop calls it when `epoll` reports it, and closes
/// it when the loop stops. Used on the loop only.
protocol LoopSocket: AnyObject {
    /// Serves the `epoll` events reported for the socket.
    func handle(events: UInt32)
    @discardableResult
    func close() -> EventLoopFuture<Void>
}

extension DatagramLoopSocket: LoopSocket {}
