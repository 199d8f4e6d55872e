/// The raw text of every setting from each layer, before typing and validation.
/// Precedence, lowest first: built-in default, config file, environment, flag.
struct SettingLayers: Sendable {
    var file: [String: String] = [:]
    var environment: [String: String] = [:]
    var flags: [Setting: String] = [:]

    /// The highest-precedence value given for `setting`, or nil when only the built-in default applies.
    /// Empty environment variables count as unset, as compose files write `${VAR:-}`.
    func value(of setting: Setting) -> (text: String, source: SettingSource)? {
        if let text = flags[setting] { return (text, .flag) }
        for name in setting.environment {
            if let text = environment[name], !text.isEmpty { return (text, .environment) }
        }
        if let text = file[setting.key] { return (text, .file) }
        return nil
    }
}
