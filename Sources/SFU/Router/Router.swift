import Foundation
import NIOCore

/// A media context: the producers and consumers that can see each other (mediasoup's Router;
/// one per room).
///
/// `@unchecked Sendable`: the transport and producer tables are touched only on the worker's
/// event loop; public methods hop there first.
public final class Router: @unchecked Sendable {
    public let id: String
    public let worker: Worker
    /// What this router can receive and send, from the configured media codecs.
    public let rtpCapabilities: RtpCapabilities

    private(set) var transports: [String: Transport] = [:]
    private var producers: [String: Producer] = [:]
    private var dataProducers: [String: DataProducer] = [:]
    private var observers: [ObjectIdentifier: AudioLevelObserver] = [:]
    /// Pipe transport pairs to other routers, by their id (see Router+PipeToRouter.swift).
    var pipeTransportPairs: [String: Task<PipeTransportPair, any Error>] = [:]
    public private(set) var isClosed = false

    init(worker: Worker, rtpCapabilities: RtpCapabilities) {
        self.id = UUID().uuidString.lowercased()
        self.worker = worker
        self.rtpCapabilities = rtpCapabilities
        EngineMetrics.routers.increment()
    }

    deinit { EngineMetrics.routers.decrement() }

    var eventLoop: any EventLoop { worker.eventLoop }

    /// Transports plus producers and consumers: what the worker's load is counted in.
    var load: Int { transports.values.reduce(transports.count) { $0 + $1.load } }

    public func createPlainTransport(_ options: PlainTransportOptions) async throws -> PlainTransport {
        let transport = try await PlainTransport.open(router: self, options: options)
        try await register(transport)
        return transport
    }

    public func createWebRtcTransport(_ options: WebRtcTransportOptions) async throws -> WebRtcTransport {
        let transport = try await WebRtcTransport.open(router: self, options: options)
        try await register(transport)
        return transport
    }

    public func createDirectTransport(_ options: DirectTransportOptions = DirectTransportOptions()) async throws
        -> DirectTransport
    {
        let transport = try await DirectTransport.open(router: self, options: options)
        try await register(transport)
        return transport
    }

    public func createAudioLevelObserver(_ options: AudioLevelObserverOptions = AudioLevelObserverOptions()) async throws
        -> AudioLevelObserver
    {
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("router") }
            let observer = AudioLevelObserver(router: self, options: options)
            observers[ObjectIdentifier(observer)] = observer
            observer.start()
            return observer
        }
    }

    func register(_ transport: Transport) async throws {
        try await worker.onLoop { [self] in
            guard !isClosed else {
                transport.closeOnLoop(reason: .routerClosed)
                throw EngineError.closed("router")
            }
            transports[transport.id] = transport
        }
    }

    /// Whether an endpoint with `rtpCapabilities` can consume the producer.
    public func canConsume(producerId: String, rtpCapabilities: RtpCapabilities) async -> Bool {
        (try? await worker.onLoop { [self] in
            guard let producer = producers[producerId] else { return false }
            return Ortc.canConsume(
                consumableParameters: producer.consumableRtpParameters, capabilities: rtpCapabilities)
        }) ?? false
    }

    public func close() async {
        _ = try? await worker.onLoop { [self] in
            guard !isClosed else { return }
            closeOnLoop()
            worker.routerClosed(self)
        }
    }

    func closeOnLoop() {
        guard !isClosed else { return }
        isClosed = true
        for transport in transports.values { transport.closeOnLoop(reason: .routerClosed) }
        transports.removeAll()
        for observer in observers.values { observer.closeOnLoop() }
        pipeTransportPairs.removeAll()
        producers.removeAll()
        dataProducers.removeAll()
    }

    // MARK: - On the loop, for transports

    func producer(id: String) -> Producer? { producers[id] }

    func addProducer(_ producer: Producer) throws {
        guard producers[producer.id] == nil else {
            throw EngineError.invalidArgument("a Producer with same id \"\(producer.id)\" already exists")
        }
        producers[producer.id] = producer
    }

    func producerClosed(_ producer: Producer) {
        producers[producer.id] = nil
    }

    func observerClosed(_ observer: AudioLevelObserver) {
        observers[ObjectIdentifier(observer)] = nil
    }

    func dataProducer(id: String) -> DataProducer? { dataProducers[id] }

    func addDataProducer(_ dataProducer: DataProducer) throws {
        guard dataProducers[dataProducer.id] == nil else {
            throw EngineError.invalidArgument("a DataProducer with same id \"\(dataProducer.id)\" already exists")
        }
        dataProducers[dataProducer.id] = dataProducer
    }

    func dataProducerClosed(_ dataProducer: DataProducer) {
        dataProducers[dataProducer.id] = nil
    }

    func transportClosed(_ transport: Transport) {
        transports[transport.id] = nil
        if let pipe = transport as? PipeTransport, let pairedRouterId = pipe.pairedRouterId {
            pipeTransportPairs[pairedRouterId] = nil
        }
    }
}
