import Foundation
import Hummingbird

/// The query of a protoo upgrade request, decoded as protoo-server's Node (`querystring`) does:
/// `+` is a space (what `URLSearchParams` writes for one) and `%XX` a byte (text with a broken
/// escape is kept as it is, as Node keeps it); of a repeated name, the first value counts.
struct ProtooQuery {
    private var values: [String: String] = [:]

    init(_ request: Request) {
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            guard values[name] == nil else { continue }
            values[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    func get(_ name: String) -> String? { values[name] }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
