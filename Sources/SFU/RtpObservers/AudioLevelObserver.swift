import NIOCore

/// mediasoup's AudioLevelObserver: every `interval`, the average ssrc-audio-level (RFC 6464)
/// of each observed audio producer; the loudest `maxEntries` at or above `threshold` are
/// reported as ``AudioLevelObserverEvent/volumes(_:)``, or ``AudioLevelObserverEvent/silence``
/// once when none is.
///
/// `@unchecked Sendable`: state is touched only on the router's event loop.
public final class AudioLevelObserver: @unchecked Sendable {
    public let options: AudioLevelObserverOptions
    public let events: AsyncStream<AudioLevelObserverEvent>
    private let eventSink: AsyncStream<AudioLevelObserverEvent>.Continuation
    unowned let router: Router
    /// Sum of -dBov and packet count of each observed producer in the current interval.
    private var levels: [String: (sum: Int, count: Int)] = [:]
    // Silent from the start, as mediasoup: `silence` only follows a report of volumes.
    private var isSilent = true
    public private(set) var paused = false
    public private(set) var isClosed = false
    private var timer: RepeatedTask?

    init(router: Router, options: AudioLevelObserverOptions) {
        self.router = router
        self.options = options
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: EventBuffering.policy())
    }

    func start() {
        let interval = TimeAmount.milliseconds(Int64(max(250, options.interval)))
        timer = router.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.report()
        }
    }

    // MARK: - Public API

    /// Observes an audio producer of the router.
    public func addProducer(id producerId: String) async throws {
        try await router.worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("audio level observer") }
            guard let producer = router.producer(id: producerId) else {
                throw EngineError.notFound("Producer with id \"\(producerId)\" not found")
            }
            guard producer.kind == .audio else { throw EngineError.invalidArgument("not an audio producer") }
            guard levels[producerId] == nil else { return }
            levels[producerId] = (0, 0)
            producer.addObserver(self)
        }
    }

    public func removeProducer(id producerId: String) async {
        _ = try? await router.worker.onLoop { [self] in
            levels[producerId] = nil
            router.producer(id: producerId)?.removeObserver(self)
        }
    }

    public func pause() async {
        _ = try? await router.worker.onLoop { [self] in
            paused = true
            resetLevels()
        }
    }

    public func resume() async {
        _ = try? await router.worker.onLoop { [self] in paused = false }
    }

    public func close() async {
        _ = try? await router.worker.onLoop { [self] in closeOnLoop() }
    }

    // MARK: - On the loop

    func receive(_ level: RtpAudioLevel, producerId: String) {
        guard !paused, var entry = levels[producerId] else { return }
        entry.sum += Int(level.level)
        entry.count += 1
        levels[producerId] = entry
    }

    func producerClosed(id producerId: String) {
        levels[producerId] = nil
    }

    private func report() {
        guard !paused, !isClosed else { return }
        let loudest = levels.compactMap { producerId, entry -> AudioLevelObserverVolume? in
            guard entry.count > 0 else { return nil }
            let volume = -Int((Double(entry.sum) / Double(entry.count)).rounded())
            return volume >= options.threshold ? AudioLevelObserverVolume(producerId: producerId, volume: volume) : nil
        }
        .sorted { $0.volume > $1.volume }
        .prefix(max(1, options.maxEntries))
        resetLevels()
        if loudest.isEmpty {
            guard !isSilent else { return }
            isSilent = true
            eventSink.yield(.silence)
        } else {
            isSilent = false
            eventSink.yield(.volumes(Array(loudest)))
        }
    }

    private func resetLevels() {
        for producerId in levels.keys { levels[producerId] = (0, 0) }
    }

    func closeOnLoop() {
        guard !isClosed else { return }
        isClosed = true
        timer?.cancel()
        for producerId in levels.keys { router.producer(id: producerId)?.removeObserver(self) }
        levels.removeAll()
        eventSink.finish()
        router.observerClosed(self)
    }
}
