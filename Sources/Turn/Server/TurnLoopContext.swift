import Foundation
import Logging
import NIOCore
import NIOPosix
import SocketIO
import STUN

/// Everything of the TURN server that lives on one event loop: its core, and either the UDP and
/// TCP listeners and connections (on a ``SocketEventLoop``) or the TLS connections (on a NIO
/// loop), with the relay sockets of the allocations it owns. It carries out the core's outputs:
/// datagrams go straight to the kernel; a TCP/TLS connection written to is flushed once at the
/// end of the read that caused the write.
///
/// Must only be used on `eventLoop`; it reaches other code wrapped in `NIOLoopBound`.
final class TurnLoopContext {
    let eventLoop: any EventLoop
    let core: TurnServerCore
    private let relayBinder: RelaySocketBinder
    private let logger: Logger
    /// This loop's UDP listeners by local address (one per listen IP).
    private var datagramListeners: [SocketAddress: any DatagramSocket] = [:]
    private var streamListeners: [StreamLoopListener] = []
    private var streamConnections: [FiveTuple: ClientStream] = [:]
    /// Since when each TCP/TLS connection has had no allocation.
    private var streamsIdleSince: [FiveTuple: Int] = [:]
    /// Seconds after which a connection with no allocation is closed.
    private let idleStreamTimeout: Int
    private var relays: [RelayID: any DatagramSocket] = [:]
    private var outputs: [TurnOutput] = []
    private var streamsToFlush: [ObjectIdentifier: ClientStream] = [:]

    init(
        eventLoop: any EventLoop, core: TurnServerCore, relayBinder: RelaySocketBinder, idleStreamTimeout: Int,
        logger: Logger
    ) {
        self.eventLoop = eventLoop
        self.idleStreamTimeout = idleStreamTimeout
        self.core = core
        self.relayBinder = relayBinder
        self.logger = logger
        outputs.reserveCapacity(8)
    }

    var bound: NIOLoopBound<TurnLoopContext> { NIOLoopBound(self, eventLoop: eventLoop) }

    static var now: Int { Int(time(nil)) }

    // MARK: Inputs

    /// Serves clients on `listener`, this loop's UDP socket on a TURN address.
    func addDatagramListener(_ listener: any DatagramSocket) {
        let server = listener.localAddress
        datagramListeners[server] = listener
        listener.onDatagram = { [unowned self] packet, client in
            handleClientPacket(packet, from: FiveTuple(client: client, server: server, transport: .udp))
        }
        listener.onReadComplete = { [unowned self] in flushWrittenChannels() }
    }

    /// Serves the TCP clients `listener` accepts, framing their streams into STUN and
    /// ChannelData messages.
    func addStreamListener(_ listener: StreamLoopListener) {
        streamListeners.append(listener)
        listener.onAccept = { [unowned self] connection in
            let tuple = FiveTuple(client: connection.remoteAddress, server: connection.localAddress, transport: .tcp)
            streamConnections[tuple] = .loop(connection)
            streamsIdleSince[tuple] = Self.now
            connection.onReceive = { [unowned self] received in
                // A frame's answer may close the connection (a failed send): the rest is not read.
                while streamConnections[tuple] != nil, let frame = try StreamFraming.readFrame(from: &received) {
                    handleClientPacket(frame, from: tuple)
                }
                flushWrittenChannels()
            }
            connection.onClose = { [unowned self] in streamConnectionClosed(tuple) }
        }
    }

    /// Closes the UDP and TCP listeners; once they are closed, no new client reaches this
    /// loop's core.
    func closeListeners() -> EventLoopFuture<Void> {
        let closed = datagramListeners.values.map { $0.close() } + streamListeners.map { $0.close() }
        datagramListeners.removeAll()
        streamListeners.removeAll()
        return EventLoopFuture.andAllComplete(closed, on: eventLoop)
    }

    func handleClientPacket(_ packet: ByteBuffer, from tuple: FiveTuple) {
        core.handleClientPacket(packet, from: tuple, now: Self.now, into: &outputs)
        performOutputs()
    }

    func handlePeerPacket(_ packet: ByteBuffer, from peer: SocketAddress, relay: RelayID) {
        if let output = core.handlePeerPacket(packet, from: peer, relay: relay, now: Self.now) {
            perform(output)
        }
    }

    func streamConnectionOpened(_ channel: any Channel, tuple: FiveTuple) {
        streamConnections[tuple] = .channel(channel)
        streamsIdleSince[tuple] = Self.now
    }

    func streamConnectionClosed(_ tuple: FiveTuple) {
        streamConnections[tuple] = nil
        streamsIdleSince[tuple] = nil
        core.clientDisconnected(tuple, into: &outputs)
        performOutputs()
    }

    func tick() {
        let now = Self.now
        relayBinder.reservations.closeExpired(now: now)
        core.tick(now: now, into: &outputs)
        performOutputs()
        flushWrittenChannels()
        closeIdleStreams(now: now)
    }

    /// Closes the TCP/TLS connections (TLS handshakes included) that have had no allocation for
    /// `idleStreamTimeout`.
    private func closeIdleStreams(now: Int) {
        var idle: [ClientStream] = []
        for (tuple, stream) in streamConnections {
            if core.hasAllocation(for: tuple) {
                streamsIdleSince[tuple] = nil
            } else if let since = streamsIdleSince[tuple] {
                if now - since >= idleStreamTimeout { idle.append(stream) }
            } else {
                streamsIdleSince[tuple] = now
            }
        }
        for stream in idle {
            stream.close()
        }
    }

    /// Closes every allocation and relay socket; the listeners are closed before.
    func closeAll() {
        core.removeAll(into: &outputs)
        performOutputs()
        flushWrittenChannels()
        for stream in streamConnections.values {
            stream.close()
        }
    }

    /// Sends what the inputs of the current read batch produced.
    func flushWrittenChannels() {
        guard !streamsToFlush.isEmpty else { return }
        for stream in streamsToFlush.values {
            stream.flush()
        }
        streamsToFlush.removeAll(keepingCapacity: true)
    }

    // MARK: Outputs

    private func performOutputs() {
        for output in outputs {
            perform(output)
        }
        outputs.removeAll(keepingCapacity: true)
    }

    private func perform(_ output: TurnOutput) {
        switch output {
        case .toClient(let bytes, let tuple):
            if tuple.transport == .udp {
                datagramListeners[tuple.server]?.send(bytes, to: tuple.client)
            } else if let stream = streamConnections[tuple] {
                stream.write(bytes)
                streamsToFlush[stream.identity] = stream
            }
        case .toPeer(let bytes, let relay, let peer):
            relays[relay]?.send(bytes, to: peer)
        case .bindRelay(let request):
            bindRelay(request)
        case .closeRelay(let relay):
            relays.removeValue(forKey: relay)?.close()
        }
    }

    /// Binds a relay socket on this loop: at once on a datagram loop, through NIO's bootstrap on
    /// a NIO loop.
    private func bindRelay(_ request: RelayRequest) {
        if let loop = eventLoop as? SocketEventLoop {
            relayBindFinished(request, result: Result { try relayBinder.bind(request, on: loop) })
            return
        }
        let context = bound
        let (binder, eventLoop) = (relayBinder, eventLoop)
        eventLoop.makeFutureWithTask { try await binder.bind(request, on: eventLoop) }.whenComplete { result in
            context.value.relayBindFinished(request, result: result.map { $0 })
        }
    }

    private func relayBindFinished(_ request: RelayRequest, result: Result<any DatagramSocket, any Error>) {
        var produced: [TurnOutput] = []
        switch result {
        case .success(let socket):
            let relay = request.id
            socket.onDatagram = { [unowned self] packet, peer in
                handlePeerPacket(packet, from: peer, relay: relay)
            }
            socket.onReadComplete = { [unowned self] in flushWrittenChannels() }
            relays[relay] = socket
            core.relayBound(relay, address: socket.localAddress, now: Self.now, into: &produced)
        case .failure(let error):
            logger.warning("cannot bind a TURN relay socket", metadata: ["error": "\(error)"])
            core.relayBindFailed(request.id, into: &produced)
        }
        for output in produced {
            perform(output)
        }
        flushWrittenChannels()
    }
}
