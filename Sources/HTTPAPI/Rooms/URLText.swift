import Foundation
import Hummingbird

/// Ids in URLs: room and broadcaster ids are any text, so a space or a slash in one is
/// percent-encoded in the URLs the API answers with (and decoded from the paths it is asked,
/// see ``Hummingbird/Parameters/requireDecoded(_:)``).
enum URLText {
    /// `id` as one path segment.
    private static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? id
    }

    /// The path of broadcaster `broadcasterId` of room `roomId`, the base of its resources'.
    static func broadcasterPath(roomId: String, broadcasterId: String) -> String {
        "/rooms/\(pathSegment(roomId))/broadcasters/\(pathSegment(broadcasterId))"
    }

    /// `id` as a query value.
    static func queryValue(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: queryValueCharacters) ?? id
    }

    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;"))
    private static let queryValueCharacters = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+;"))
}

extension Parameters {
    /// The path parameter `name` percent-decoded, as Express hands mediasoup-demo its `:roomId`
    /// (so `/rooms/team%20room` is the room protoo peers reach with `roomId=team%20room`).
    func requireDecoded(_ name: String) throws -> String {
        let raw = try require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw HTTPError(.badRequest, message: "invalid \(name): broken percent-encoding")
        }
        return decoded
    }
}
