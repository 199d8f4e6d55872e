/// A configuration problem that stops startup. Its description is the one line the user sees.
enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalidValue(Setting, value: String, reason: String)
    case inconsistent(String)
    case unreadableFile(path: String, reason: String)
    case unknownFileKey(String, path: String)
    case unreadableCertificate(Setting, path: String, reason: String)

    var description: String {
        switch self {
        case .invalidValue(let setting, let value, let reason):
            return "invalid \(setting.displayName): '\(value)' \(reason)"
        case .inconsistent(let message):
            return message
        case .unreadableFile(let path, let reason):
            return "cannot read config file \(path): \(reason)"
        case .unknownFileKey(let key, let path):
            return "unknown setting '\(key)' in \(path) (run `sfu-server check-config` to list the keys)"
        case .unreadableCertificate(let setting, let path, let reason):
            return "invalid \(setting.displayName): \(path): \(reason)"
        }
    }
}
