import ArgumentParser
import Foundation

/// Startup problems the user must fix: one line on standard error and exit code 2, no trace.
enum ConfigurationFailure {
    static func exitOnError<T>(_ body: () throws(ConfigurationError) -> T) -> T {
        do {
            return try body()
        } catch {
            report(error)
        }
    }

    static func report(_ error: ConfigurationError) -> Never {
        FileHandle.standardError.write(Data("sfu-server: configuration error: \(error)\n".utf8))
        Foundation.exit(2)
    }
}
