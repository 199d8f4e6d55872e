import ArgumentParser
import Foundation

/// `sfu-bench server`: a running sfu-server measured through its REST API only, as a user's
/// broadcaster script would drive it: egress rate, loss, latency, and the server's CPU and
/// memory per consumer.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Measure a running sfu-server over REST: P SRTP VP8 producers (with --audio, each with Opus too), each to N plain SRTP consumers.")

    @Option(help: "The server's HTTPS base URL.")
    var url = "https://127.0.0.1:4443"

    @Option(help: "Bearer key for the REST API, when the server has SFU_API_KEY.")
    var apiKey: String?

    @Option(help: "Comma-separated consumer counts per producer, one measurement each.")
    var consumers = "1,10,50"

    @Option(help: "Producers, each in a room of its own; the server spreads rooms over its workers.")
    var producers = 1

    @Option(help: "Bits per second the producer sends.")
    var bitrate = 1_000_000

    @Option(help: "Seconds of measured traffic per consumer count (after 1 s of warm-up).")
    var duration = 5

    @Option(help: "RTP packet size in bytes (before SRTP).")
    var packetSize = 1100

    @Option(help: "Decrypt and check one packet in this many of each consumer's (latency and integrity come from those; all count for loss). More than 1 leaves the benchmark's CPU to a server of several workers.")
    var checkEvery = 1

    @Flag(help: "Each producer's broadcaster also sends Opus audio (50 packets/s of 172 bytes), which every consumer takes too.")
    var audio = false

    @Flag(help: "Print one JSON object per measurement instead of a table.")
    var json = false

    func validate() throws {
        guard consumerCounts != nil else { throw ValidationError(ConsumerCounts.validationMessage) }
        guard producers > 0, bitrate > 0, duration > 0, checkEvery > 0, (64...1400).contains(packetSize) else {
            throw ValidationError("--producers, --bitrate, --duration and --check-every must be positive and --packet-size 64-1400")
        }
    }

    private var consumerCounts: [Int]? { ConsumerCounts.parse(consumers) }

    func run() async throws {
        let api = BenchAPIClient(baseURL: url, apiKey: apiKey)
        do {
            try await measure(with: api)
        } catch {
            await api.shutdown()
            throw error
        }
        await api.shutdown()
    }

    private func measure(with api: BenchAPIClient) async throws {
        if !json {
            print("producers  consumers  sent pps  egress pps  loss    p50 ms  p99 ms  p99.9 ms  server CPU  bench CPU  egress/CPU-s  RSS MiB  KiB/consumer")
        }
        for count in consumerCounts ?? [] {
            let result = try await ServerBenchmark(
                api: api, producers: producers, consumers: count, bitrate: bitrate, audio: audio, duration: .seconds(duration), packetSize: packetSize,
                checkEvery: checkEvery
            ).run()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print(String(
                    format: "%9d  %9d  %8.0f  %10.0f  %5.2f%%  %6.2f  %6.2f  %8.2f  %8.2f s  %7.2f s  %12.0f  %7.1f  %12.1f",
                    result.producers, result.consumers, result.sentPps, result.egressPps, result.loss * 100, result.latencyP50Ms,
                    result.latencyP99Ms, result.latencyP999Ms, result.serverCpuSeconds, result.benchmarkCpuSeconds,
                    result.egressPacketsPerServerCpuSecond, result.serverResidentMiB, result.residentKiBPerConsumer))
            }
        }
    }
}
