import Foundation

/// Reads the layers (file, environment, flags) and resolves them, for every subcommand alike.
enum ConfigurationLoader {
    static func load(
        options: SettingOptions,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        host: HostFacts = .current()
    ) throws(ConfigurationError) -> ServerConfiguration {
        var layers = SettingLayers(environment: environment, flags: options.given)
        let configPath = options.configFile ?? Setting.configFile.environment.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        if let configPath {
            layers.file = try ConfigFile.load(path: configPath)
        }
        var resolver = ConfigurationResolver(layers: layers, host: host)
        return try resolver.resolve()
    }
}
