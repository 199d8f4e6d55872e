import ArgumentParser

/// `sfu-server check-config`: validates the settings and prints the effective configuration,
/// one `key = value (source)` line per setting, secrets masked.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective settings with secrets masked.")

    @OptionGroup var settings: SettingOptions

    func run() throws {
        let configuration = ConfigurationFailure.exitOnError { () throws(ConfigurationError) in
            try ConfigurationLoader.load(options: settings)
        }
        let width = configuration.effectiveSettings.map(\.setting.key.count).max() ?? 0
        for entry in configuration.effectiveSettings {
            let padding = String(repeating: " ", count: width - entry.setting.key.count)
            print("\(entry.setting.key)\(padding) = \(entry.displayText) (\(entry.source.rawValue))")
        }
    }
}
