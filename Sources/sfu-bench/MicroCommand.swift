import ArgumentParser
import Foundation
import SFU

/// `sfu-bench micro`: the per-packet costs of the forwarding hot path on this machine —
/// SRTP protect/unprotect with both backends beside bare OpenSSL EVP, and the per-consumer
/// RTP header rewrite.
struct MicroCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "micro", abstract: "Nanoseconds per SRTP protect/unprotect and per RTP header rewrite.")

    @Option(help: "Packets per measured round.")
    var iterations = 20_000

    @Option(help: "Rounds per figure; the best round is reported.")
    var repetitions = 5

    func run() throws {
        for measurement in try SrtpMicroBenchmark.run(iterations: iterations, repetitions: repetitions) {
            print(measurement)
        }
        for packetSize in [160, 1200] {
            let nanoseconds = try RtpRewriteBenchmark.run(
                packetSize: packetSize, iterations: iterations, repetitions: repetitions)
            let name = "rtp rewrite (copy, ssrc/pt/seq/ts, extension remap) \(packetSize)B"
            print(name + String(repeating: " ", count: max(1, 64 - name.count - 8)) + "\(Int(nanoseconds.rounded())) ns")
        }
    }
}
