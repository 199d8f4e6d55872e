import Foundation
import NIOCore

/// An incoming data source on a transport (mediasoup's DataProducer): the messages a client
/// sends on one SCTP stream, or that the application sends through a DirectTransport, handed
/// to every data consumer of it in the router.
///
/// `@unchecked Sendable`: mutable state is touched only on the worker's event loop.
public final class DataProducer: @unchecked Sendable {
    public let id: String
    public let type: DataProducerType
    public let sctpStreamParameters: SctpStreamParameters?
    public let label: String
    public let `protocol`: String
    public let events: AsyncStream<DataProducerEvent>
    private let eventSink: AsyncStream<DataProducerEvent>.Continuation

    unowned let transport: Transport
    /// The pipe data consumer on another router this data producer re-creates
    /// (`Router.pipeToRouter`): closing this data producer closes it.
    weak var pipeDataConsumer: DataConsumer?
    private var consumers: [DataConsumer] = []
    public private(set) var paused: Bool
    public private(set) var isClosed = false
    private var messagesReceived = 0
    private var bytesReceived = 0

    init(id: String, transport: Transport, type: DataProducerType, options: DataProducerOptions) {
        self.id = id
        self.type = type
        self.sctpStreamParameters = options.sctpStreamParameters
        self.label = options.label
        self.protocol = options.protocol
        self.paused = options.paused
        self.transport = transport
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: EventBuffering.policy())
        EngineMetrics.dataProducers.increment()
    }

    deinit { EngineMetrics.dataProducers.decrement() }

    // MARK: - Public API

    /// Sends a message as if the client had (mediasoup's `dataProducer.send()`); only for data
    /// producers on a DirectTransport. An empty `message` goes out as the empty-message PPID.
    public func send(_ message: ByteBuffer, ppid: SctpPayloadProtocol = .string) async throws {
        guard type == .direct, let direct = transport as? DirectTransport else {
            throw EngineError.invalidState("send() is only for data producers on a DirectTransport")
        }
        // The transport's maxMessageSize bounds the data messages it carries, as in mediasoup.
        guard message.readableBytes <= direct.maxMessageSize else {
            throw EngineError.invalidArgument(
                "given message exceeds maxMessageSize value [maxMessageSize:\(direct.maxMessageSize)]")
        }
        try await transport.worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("data producer") }
            receive(message, ppid: ppid)
        }
    }

    public func pause() async {
        _ = try? await transport.worker.onLoop { [self] in setPausedOnLoop(true) }
    }

    public func resume() async {
        _ = try? await transport.worker.onLoop { [self] in setPausedOnLoop(false) }
    }

    func setPausedOnLoop(_ paused: Bool) {
        guard paused != self.paused, !isClosed else { return }
        self.paused = paused
        for consumer in consumers { consumer.dataProducerPausedChanged(paused: paused) }
    }

    /// Closes the data producer and its data consumers (which report `dataProducerClosed`).
    public func close() async {
        _ = try? await transport.worker.onLoop { [self] in closeOnLoop(reason: .explicit) }
    }

    public func getStats() async -> [DataProducerStats] {
        (try? await transport.worker.onLoop { [self] in
            [DataProducerStats(
                timestamp: Int64(RtpClock.milliseconds(at: .now())), label: label, protocol: `protocol`,
                messagesReceived: messagesReceived, bytesReceived: bytesReceived)]
        }) ?? []
    }

    // MARK: - On the loop

    func addConsumer(_ consumer: DataConsumer) { consumers.append(consumer) }

    func removeConsumer(_ consumer: DataConsumer) { consumers.removeAll { $0 === consumer } }

    /// One message from the client (or `send`): counted, and forwarded unless paused.
    func receive(_ message: ByteBuffer, ppid: SctpPayloadProtocol) {
        guard !isClosed else { return }
        messagesReceived += 1
        bytesReceived += message.readableBytes
        guard !paused else { return }
        for consumer in consumers { consumer.send(message, ppid: ppid) }
    }

    func closeOnLoop(reason: CloseReason) {
        guard !isClosed else { return }
        isClosed = true
        for consumer in consumers { consumer.closeOnLoop(reason: .dataProducerClosed) }
        consumers.removeAll()
        transport.router.dataProducerClosed(self)
        if reason == .explicit {
            transport.dataProducerClosed(self)
        } else {
            eventSink.yield(.closed(reason))
        }
        eventSink.finish()
        if let pipeDataConsumer {
            pipeDataConsumer.transport.eventLoop.execute { pipeDataConsumer.closeOnLoop(reason: .explicit) }
        }
    }
}
