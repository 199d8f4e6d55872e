import ArgumentParser
import Foundation

/// `sfu-bench forward`: forwarded packets per worker CPU-second for one producer fanned out to
/// 1, 10, 100… consumers on plain (SRTP) transports over loopback, and resident memory per
/// consumer while media flows.
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Packets forwarded per worker CPU-second, 1 producer to N consumers on plain SRTP transports.")

    @Option(help: "Comma-separated consumer counts, one measurement each.")
    var consumers = "1,10,100"

    @Option(help: "Packets per second the producer sends.")
    var rate = 1000

    @Option(help: "Seconds of traffic per measurement.")
    var seconds = 5

    @Option(help: "RTP packet size in bytes (before SRTP).")
    var packetSize = 1100

    @Flag(inversion: .prefixedNo, help: "Protect RTP with SRTP (AES_CM_128_HMAC_SHA1_80) on every transport.")
    var srtp = true

    @Flag(
        inversion: .prefixedNo,
        help: "Consumers negotiate transport-cc, as browsers do: every packet is numbered for the outgoing bandwidth estimate.")
    var transportCc = true

    func validate() throws {
        guard parsedConsumerCounts != nil else { throw ValidationError(ConsumerCounts.validationMessage) }
        guard rate > 0, seconds > 0, (64...1400).contains(packetSize) else {
            throw ValidationError("--rate and --seconds must be positive and --packet-size 64-1400")
        }
    }

    private var parsedConsumerCounts: [Int]? { ConsumerCounts.parse(consumers) }

    func run() async throws {
        print("consumers  in pps   out pps  loss    worker CPU  pkts/CPU-s  us/pkt  RSS/consumer")
        for count in parsedConsumerCounts ?? [] {
            let result = try await ForwardBenchmark(
                consumers: count, rate: rate, duration: .seconds(seconds), packetSize: packetSize, srtp: srtp,
                transportCc: transportCc
            ).run()
            let wall = result.wall.seconds
            print(
                String(
                    format: "%9d  %7.0f  %8.0f  %5.2f%%  %8.2f s  %10.0f  %6.2f  %9.1f KiB",
                    result.consumers, Double(result.packetsIn) / wall, Double(result.packetsOut) / wall,
                    result.loss * 100, result.workerCpu.seconds, result.packetsPerCpuSecond,
                    result.microsecondsPerPacket, Double(result.residentBytesPerConsumer) / 1024))
        }
    }
}
