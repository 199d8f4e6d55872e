import Foundation
import NIOCore

/// A data producer's messages delivered through one transport (mediasoup's DataConsumer): on
/// an SCTP stream the server picked (``sctpStreamParameters``), or in-process on a
/// DirectTransport (``messages``).
///
/// `@unchecked Sendable`: mutable state is touched only on the worker's event loop.
public final class DataConsumer: @unchecked Sendable {
    public let id: String
    public let dataProducerId: String
    public let type: DataProducerType
    public let sctpStreamParameters: SctpStreamParameters?
    public let label: String
    public let `protocol`: String
    public let events: AsyncStream<DataConsumerEvent>
    private let eventSink: AsyncStream<DataConsumerEvent>.Continuation
    /// Direct data consumers: every message, in order; finishes on close. Empty otherwise.
    /// A reader ``maximumQueuedMessages`` behind loses the newer ones (not counted as sent), as
    /// a full SCTP send buffer would.
    public let messages: AsyncStream<DirectDataMessage>
    public static let maximumQueuedMessages = 1024
    private let messageSink: AsyncStream<DirectDataMessage>.Continuation

    unowned let transport: Transport
    private weak var dataProducer: DataProducer?
    /// The data producer on another router this pipe data consumer feeds
    /// (`Router.pipeToRouter`): its data producer's pause, resume and close are passed on.
    weak var pipedDataProducer: DataProducer?
    public private(set) var paused: Bool
    public private(set) var dataProducerPaused: Bool
    public private(set) var isClosed = false
    private var messagesSent = 0
    private var bytesSent = 0

    init(
        transport: Transport, dataProducer: DataProducer, type: DataProducerType,
        sctpStreamParameters: SctpStreamParameters?, paused: Bool
    ) {
        self.id = UUID().uuidString.lowercased()
        self.dataProducerId = dataProducer.id
        self.type = type
        self.sctpStreamParameters = sctpStreamParameters
        self.label = dataProducer.label
        self.protocol = dataProducer.protocol
        self.paused = paused
        self.dataProducerPaused = dataProducer.paused
        self.transport = transport
        self.dataProducer = dataProducer
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: EventBuffering.policy())
        (messages, messageSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(Self.maximumQueuedMessages))
        if type != .direct { messageSink.finish() }
        EngineMetrics.dataConsumers.increment()
    }

    deinit { EngineMetrics.dataConsumers.decrement() }

    // MARK: - Public API

    public func pause() async {
        _ = try? await transport.worker.onLoop { [self] in
            guard !isClosed else { return }
            paused = true
        }
    }

    public func resume() async {
        _ = try? await transport.worker.onLoop { [self] in
            guard !isClosed else { return }
            paused = false
        }
    }

    /// Closes the data consumer (its SCTP stream is reset, which closes the client's channel).
    public func close() async {
        _ = try? await transport.worker.onLoop { [self] in closeOnLoop(reason: .explicit) }
    }

    public func getStats() async -> [DataConsumerStats] {
        (try? await transport.worker.onLoop { [self] in
            [DataConsumerStats(
                timestamp: Int64(RtpClock.milliseconds(at: .now())), label: label, protocol: `protocol`,
                messagesSent: messagesSent, bytesSent: bytesSent, bufferedAmount: 0)]
        }) ?? []
    }

    // MARK: - On the loop

    func send(_ message: ByteBuffer, ppid: SctpPayloadProtocol) {
        guard !isClosed, !paused, !dataProducerPaused else { return }
        switch type {
        case .direct:
            // Beyond the DirectTransport's maxMessageSize a message is dropped, as in mediasoup.
            if let direct = transport as? DirectTransport, message.readableBytes > direct.maxMessageSize { return }
            if case .dropped = messageSink.yield(DirectDataMessage(payload: message, ppid: ppid)) { return }
        case .sctp:
            guard let parameters = sctpStreamParameters,
                transport.sendSctpMessage(message, ppid: ppid, parameters: parameters)
            else { return }
        }
        messagesSent += 1
        bytesSent += message.readableBytes
    }

    func dataProducerPausedChanged(paused: Bool) {
        guard !isClosed, dataProducerPaused != paused else { return }
        dataProducerPaused = paused
        eventSink.yield(paused ? .dataProducerPause : .dataProducerResume)
        if let pipedDataProducer {
            pipedDataProducer.transport.eventLoop.execute { pipedDataProducer.setPausedOnLoop(paused) }
        }
    }

    func closeOnLoop(reason: CloseReason) {
        guard !isClosed else { return }
        isClosed = true
        if reason != .dataProducerClosed { dataProducer?.removeConsumer(self) }
        transport.dataConsumerClosed(self)
        if reason != .explicit { eventSink.yield(.closed(reason)) }
        eventSink.finish()
        messageSink.finish()
        if let pipedDataProducer {
            pipedDataProducer.transport.eventLoop.execute { pipedDataProducer.closeOnLoop(reason: .explicit) }
        }
    }
}
