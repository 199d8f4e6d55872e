import Logging

enum LoggingBootstrap {
    /// Installs the process-wide log handler once, before anything logs.
    static func bootstrap(level: Logger.Level, format: ServerConfiguration.LogFormat) {
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
