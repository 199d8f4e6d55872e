import ArgumentParser

@main
struct SFUBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sfu-bench",
        abstract: "Benchmarks of sfu-server. Build in release mode for meaningful figures.",
        subcommands: [MicroCommand.self, ForwardCommand.self, ServerCommand.self])
}
