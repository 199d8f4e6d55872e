/// Where a setting's effective value came from; `check-config` prints it next to the value.
enum SettingSource: String, Sendable {
    case builtIn = "default"
    case file
    case environment = "env"
    case flag
}
