import Foundation
import Logging
import NIOCore
import NIOPosix

/// Everything of the TURN server that lives on one event loop: its core, its UDP listener, the
/// TCP/TLS connections and relay sockets of the allocations it owns. It carries out the core's
/// outputs and batches writes: a channel written to is flushed once at the end of the read batch
/// that caused the write, which turns many datagrams into one `sendmmsg`.
///
/// Must only be used on `eventLoop`; it reaches other code wrapped in `NIOLoopBound`.
final class TurnLoopContext {
    let eventLoop: any EventLoop
    let core: TurnServerCore
    private let relayBinder: RelaySocketBinder
    private let logger: Logger
    /// This loop's UDP listeners by local address (one per listen IP).
    var datagramListeners: [SocketAddress: any Channel] = [:]
    private var streamConnections: [FiveTuple: any Channel] = [:]
    private var relays: [RelayID: any Channel] = [:]
    private var outputs: [TurnOutput] = []
    private var channelsToFlush: [ObjectIdentifier: any Channel] = [:]

    init(eventLoop: any EventLoop, core: TurnServerCore, relayBinder: RelaySocketBinder, logger: Logger) {
        self.eventLoop = eventLoop
        self.core = core
        self.relayBinder = relayBinder
        self.logger = logger
        outputs.reserveCapacity(8)
    }

    var bound: NIOLoopBound<TurnLoopContext> { NIOLoopBound(self, eventLoop: eventLoop) }

    static var now: Int { Int(time(nil)) }

    // MARK: Inputs

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
        streamConnections[tuple] = channel
    }

    func streamConnectionClosed(_ tuple: FiveTuple) {
        streamConnections[tuple] = nil
        core.clientDisconnected(tuple, into: &outputs)
        performOutputs()
    }

    func tick() {
        core.tick(now: Self.now, into: &outputs)
        performOutputs()
        flushWrittenChannels()
    }

    /// Closes every allocation and relay socket; the listeners are closed by the server.
    func closeAll() {
        core.removeAll(into: &outputs)
        performOutputs()
        flushWrittenChannels()
        for connection in streamConnections.values {
            connection.close(promise: nil)
        }
    }

    /// Sends what the inputs of the current read batch produced.
    func flushWrittenChannels() {
        guard !channelsToFlush.isEmpty else { return }
        for channel in channelsToFlush.values {
            channel.flush()
        }
        channelsToFlush.removeAll(keepingCapacity: true)
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
                guard let listener = datagramListeners[tuple.server] else { return }
                write(AddressedEnvelope(remoteAddress: tuple.client, data: bytes), to: listener)
            } else if let connection = streamConnections[tuple] {
                write(bytes, to: connection)
            }
        case .toPeer(let bytes, let relay, let peer):
            guard let channel = relays[relay] else { return }
            write(AddressedEnvelope(remoteAddress: peer, data: bytes), to: channel)
        case .bindRelay(let request):
            bindRelay(request)
        case .closeRelay(let relay):
            relays.removeValue(forKey: relay)?.close(promise: nil)
        }
    }

    private func write<Message: Sendable>(_ message: Message, to channel: any Channel) {
        channel.write(message, promise: nil)
        channelsToFlush[ObjectIdentifier(channel)] = channel
    }

    private func bindRelay(_ request: RelayRequest) {
        let context = bound
        relayBinder.bind(request, on: eventLoop, context: context).whenComplete { result in
            // The bind may complete inline, inside `performOutputs`, so collect into a local array.
            let loopContext = context.value
            var produced: [TurnOutput] = []
            switch result {
            case .success(let channel):
                loopContext.relays[request.id] = channel
                if let address = channel.localAddress {
                    loopContext.core.relayBound(request.id, address: address, now: Self.now, into: &produced)
                } else {
                    loopContext.core.relayBindFailed(request.id, into: &produced)
                    loopContext.relays.removeValue(forKey: request.id)?.close(promise: nil)
                }
            case .failure(let error):
                loopContext.logger.warning("cannot bind a TURN relay socket", metadata: ["error": "\(error)"])
                loopContext.core.relayBindFailed(request.id, into: &produced)
            }
            for output in produced {
                loopContext.perform(output)
            }
            loopContext.flushWrittenChannels()
        }
    }
}
