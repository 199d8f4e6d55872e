import Foundation
import Yams

/// Reads a JSON or YAML config file into setting-key → text. Keys are `Setting.key`; values are
/// scalars, or lists of scalars for comma-separated settings (`turnUsers`, `turnAllowPeer`).
enum ConfigFile {
    static func load(path: String) throws(ConfigurationError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: path, reason: "no such readable UTF-8 file")
        }
        let document: Any?
        do {
            // YAML is a superset of JSON, so one parser reads both.
            document = try Yams.load(yaml: text)
        } catch {
            throw .unreadableFile(path: path, reason: "not valid JSON or YAML (\(error))")
        }
        guard let dictionary = document as? [String: Any] else {
            throw .unreadableFile(path: path, reason: "the top level must be an object of settings")
        }
        let knownKeys = Set(Setting.all.map(\.key))
        var values: [String: String] = [:]
        for (key, value) in dictionary {
            guard knownKeys.contains(key) else { throw .unknownFileKey(key, path: path) }
            guard let text = scalarText(value) else {
                throw .unreadableFile(path: path, reason: "'\(key)' must be a string, number, boolean or list of them")
            }
            values[key] = text
        }
        return values
    }

    private static func scalarText(_ value: Any) -> String? {
        switch value {
        case let list as [Any]:
            let items = list.compactMap(scalarText)
            return items.count == list.count ? items.joined(separator: ",") : nil
        case let string as String: return string
        case let bool as Bool: return bool ? "true" : "false"
        case let int as Int: return String(int)
        case let double as Double: return String(double)
        default: return nil
        }
    }
}
