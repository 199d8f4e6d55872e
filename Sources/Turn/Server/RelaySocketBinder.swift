import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Binds TURN relay sockets on a random free port of the configured range.
struct RelaySocketBinder: Sendable {
    enum BindError: Error {
        case noFreePort(ClosedRange<Int>)
        case familyUnavailable
    }

    let relayIP: String
    let ports: ClosedRange<Int>
    var attempts = 32

    func bind(
        _ request: RelayRequest, on eventLoop: any EventLoop, context: NIOLoopBound<TurnLoopContext>
    ) -> EventLoopFuture<any Channel> {
        let isIPv6Relay = relayIP.contains(":")
        guard (request.family == .ipv6) == isIPv6Relay else {
            return eventLoop.makeFailedFuture(BindError.familyUnavailable)
        }
        return attempt(request, remaining: attempts, on: eventLoop, context: context)
    }

    private func attempt(
        _ request: RelayRequest, remaining: Int, on eventLoop: any EventLoop, context: NIOLoopBound<TurnLoopContext>
    ) -> EventLoopFuture<any Channel> {
        guard remaining > 0 else { return eventLoop.makeFailedFuture(BindError.noFreePort(ports)) }
        var port = Int.random(in: ports)
        if request.evenPort, port % 2 == 1 {
            port = port + 1 <= ports.upperBound ? port + 1 : port - 1
        }
        let created = NIOLockedValueBox<(any Channel)?>(nil)
        return DatagramBootstrap(group: eventLoop)
            .channelOption(.datagramVectorReadMessageCount, value: 8)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 8 * 2048))
            .channelInitializer { channel in
                created.withLockedValue { $0 = channel }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TurnRelayHandler(relay: request.id, context: context))
                }
            }
            .bind(host: relayIP, port: port)
            .flatMapError { _ in
                // Another process or allocation holds the port: try another one, after closing
                // the channel DatagramBootstrap leaves open when its bind fails.
                created.withLockedValue { $0 }?.close(promise: nil)
                return attempt(request, remaining: remaining - 1, on: eventLoop, context: context)
            }
    }
}
