import Foundation
import SFU

/// One measurement against a running server through its REST API only: in each of `producers`
/// rooms a broadcaster sends SRTP VP8 over a plain transport (SDES keys, as `ffmpeg.sh` with
/// SRTP would), with `audio` also Opus over a second one, and another broadcaster consumes them
/// on `consumers` plain SRTP transports, each taking every stream of the room. Every consumer
/// transport sends to one checking sink. The server's CPU and memory come from its own `/metrics`.
struct ServerBenchmark {
    struct Result: Encodable {
        var producers: Int
        /// Per producer.
        var consumers: Int
        /// Whether each producer's broadcaster sent Opus audio beside its video.
        var audio: Bool
        var sentPps: Double
        var egressPps: Double
        var loss: Double
        var damaged: Int
        var outOfOrder: Int
        var latencyP50Ms: Double
        var latencyP99Ms: Double
        var latencyP999Ms: Double
        var serverCpuSeconds: Double
        /// CPU the benchmark took meanwhile (its generators and sink), on the same machine.
        var benchmarkCpuSeconds: Double
        var egressPacketsPerServerCpuSecond: Double
        var serverResidentMiB: Double
        var residentKiBPerConsumer: Double
    }

    var api: BenchAPIClient
    /// Producers, each in a room of its own (the server places rooms on its least-loaded worker).
    var producers: Int
    /// Consumers of each producer.
    var consumers: Int
    var bitrate: Int
    /// Each broadcaster also sends Opus audio, which every consumer transport consumes.
    var audio: Bool
    var duration: Duration
    var packetSize: Int
    /// The sink decrypts and checks one packet in this many of each consumer; latency and
    /// integrity come from those, loss from all.
    var checkEvery: Int

    private static let warmUp = Duration.seconds(1)
    private static let drain = Duration.milliseconds(300)

    /// Video packets per second.
    var packetRate: Int { max(1, bitrate / (packetSize * 8)) }

    /// One stream sent into a room: its producer, and the generator feeding it at `rate`.
    private struct Feed {
        var roomId: String
        var producerId: String
        var generator: RtpLoadGenerator
        var rate: Int
    }

    func run() async throws -> Result {
        let sink = try CheckingSink(checkEvery: checkEvery)
        var roomIds: [String] = []
        do {
            for _ in 0..<producers { roomIds.append(try await api.createRoom()) }
            let result = try await measure(roomIds: roomIds, sink: sink)
            await cleanUp(roomIds: roomIds, sink: sink)
            return result
        } catch {
            await cleanUp(roomIds: roomIds, sink: sink)
            throw error
        }
    }

    private func cleanUp(roomIds: [String], sink: CheckingSink) async {
        for roomId in roomIds { await api.deleteRoom(roomId) }
        await sink.close()
    }

    /// The sending broadcaster's producer of `media` in `roomId`, over a comedia plain SRTP
    /// transport of its own (as `ffmpeg.sh` sends audio and video), and its generator sending
    /// `rate` packets of `packetSize` bytes a second.
    private func addProducer(roomId: String, media: BenchMedia, packetSize: Int, rate: Int) async throws -> Feed {
        let ssrc = UInt32.random(in: 1...UInt32.max)
        let sending = try await api.createPlainTransport(roomId: roomId, broadcasterId: "bench-sender", comedia: true)
        let senderKey = try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80)
        try await api.connect(
            roomId: roomId, broadcasterId: "bench-sender", transportId: sending.id, ip: nil, port: nil,
            srtpParameters: SrtpParameters(cryptoSuite: senderKey.suite, keyBase64: senderKey.keyBase64))
        let producerId = try await api.produce(
            roomId: roomId, broadcasterId: "bench-sender", transportId: sending.id, kind: media.kind,
            rtpParameters: RtpParameters(codecs: [media.codec], encodings: [RtpEncodingParameters(ssrc: ssrc)]))
        let generator = try RtpLoadGenerator(
            // The answered ip is the announced address; the benchmark runs beside the server.
            destinationHost: "127.0.0.1", destinationPort: sending.port, media: media, packetSize: packetSize,
            ssrc: ssrc, masterKey: senderKey)
        return Feed(roomId: roomId, producerId: producerId, generator: generator, rate: rate)
    }

    /// `consumers` plain SRTP transports in `roomId`, each consuming every one of `producerIds`
    /// towards the sink.
    private func addConsumers(roomId: String, producerIds: [String], sink: CheckingSink) async throws {
        let capabilities = try await api.routerCapabilities(roomId: roomId)
        try await api.addBroadcaster(roomId: roomId, id: "bench-receiver", rtpCapabilities: capabilities)
        for _ in 0..<consumers {
            let receiving = try await api.createPlainTransport(
                roomId: roomId, broadcasterId: "bench-receiver", comedia: false)
            guard let serverKey = receiving.srtpParameters else {
                throw BenchAPIClient.Failure(description: "the consumer transport answered no srtpParameters")
            }
            let receiverKey = try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80)
            try await api.connect(
                roomId: roomId, broadcasterId: "bench-receiver", transportId: receiving.id, ip: "127.0.0.1",
                port: sink.port,
                srtpParameters: SrtpParameters(cryptoSuite: receiverKey.suite, keyBase64: receiverKey.keyBase64))
            let masterKey = try SrtpMasterKey(suite: serverKey.cryptoSuite, keyBase64: serverKey.keyBase64)
            for producerId in producerIds {
                let consumer = try await api.consume(
                    roomId: roomId, broadcasterId: "bench-receiver", transportId: receiving.id, producerId: producerId)
                guard let consumerSsrc = consumer.rtpParameters.encodings?.first?.ssrc else {
                    throw BenchAPIClient.Failure(description: "the consumer answered no SSRC")
                }
                try sink.expect(ssrc: UInt32(consumerSsrc), masterKey: masterKey)
            }
        }
    }

    /// Runs every feed's generator at once, each on its own thread.
    private func send(_ feeds: [Feed], for duration: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            for feed in feeds {
                group.addTask { await feed.generator.runOnThread(rate: feed.rate, duration: duration) }
            }
        }
    }

    private func measure(roomIds: [String], sink: CheckingSink) async throws -> Result {
        var feeds: [Feed] = []
        for roomId in roomIds {
            try await api.addBroadcaster(roomId: roomId, id: "bench-sender", rtpCapabilities: nil)
            feeds.append(try await addProducer(roomId: roomId, media: .video, packetSize: packetSize, rate: packetRate))
            if audio {
                feeds.append(try await addProducer(
                    roomId: roomId, media: .audio, packetSize: BenchMedia.audioPacketSize,
                    rate: BenchMedia.audioPacketRate))
            }
        }
        let before = try await api.processSample()
        for roomId in roomIds {
            let producerIds = feeds.filter { $0.roomId == roomId }.map(\.producerId)
            try await addConsumers(roomId: roomId, producerIds: producerIds, sink: sink)
        }
        let generators = feeds.map(\.generator)

        await send(feeds, for: Self.warmUp)
        try await Task.sleep(for: Self.drain)
        _ = sink.takeReport()
        let start = try await api.processSample()
        let benchmarkStart = ThreadCpuTime.process()
        let sentBefore = generators.reduce(0) { $0 + $1.sent }
        await send(feeds, for: duration)
        try await Task.sleep(for: Self.drain)
        let end = try await api.processSample()
        let benchmarkCpu = ThreadCpuTime.process() - benchmarkStart
        let report = sink.takeReport()

        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let sent = generators.reduce(0) { $0 + $1.sent } - sentBefore
        let totalConsumers = consumers * producers
        let cpu = end.cpuSeconds - start.cpuSeconds
        let latencies = report.latencies.sorted()
        func percentile(_ fraction: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let index = min(latencies.count - 1, Int((Double(latencies.count) * fraction).rounded(.down)))
            return Double(latencies[index]) / 1e6
        }
        return Result(
            producers: producers, consumers: consumers, audio: audio, sentPps: Double(sent) / seconds,
            egressPps: Double(report.received) / seconds,
            loss: max(0, 1 - Double(report.received) / Double(max(1, sent * consumers))),
            damaged: report.damaged, outOfOrder: report.outOfOrder,
            latencyP50Ms: percentile(0.5), latencyP99Ms: percentile(0.99), latencyP999Ms: percentile(0.999),
            serverCpuSeconds: cpu,
            benchmarkCpuSeconds: Double(benchmarkCpu.components.seconds) + Double(benchmarkCpu.components.attoseconds) / 1e18,
            egressPacketsPerServerCpuSecond: cpu > 0 ? Double(report.received) / cpu : 0,
            serverResidentMiB: end.residentBytes / 1_048_576,
            residentKiBPerConsumer: (end.residentBytes - before.residentBytes) / 1024 / Double(totalConsumers))
    }
}
