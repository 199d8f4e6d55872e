import ArgumentParser

@main
struct SFUServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sfu-server",
        abstract: "WebRTC SFU (mediasoup-compatible protoo and REST signaling) with a built-in TURN server.",
        discussion: """
            Settings are read, in increasing precedence, from built-in defaults, the --config file, \
            environment variables and flags. Invalid settings stop startup with exit code 2.
            """,
        subcommands: [ServeCommand.self, TurnCommand.self, CheckConfigCommand.self],
        defaultSubcommand: ServeCommand.self)
}
