import Crypto
import Foundation
import Hummingbird

/// With `SFU_API_KEY` set, the REST API (`/rooms…`, `/getRoomId`) requires
/// `Authorization: Bearer <key>`; probes (`/rooms/health` too), metrics, `/openapi.json`, the web
/// app and WebSocket upgrades do not.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: String

    /// Judged by the path's segments as the router matches them: it skips empty ones, so
    /// `//rooms/R` reaches the room routes as `/rooms/R` does.
    static func isProtected(_ path: String) -> Bool {
        let segments = path.split(separator: "/").map { $0.lowercased() }
        switch segments.first {
        case "rooms": return segments != ["rooms", "health"]
        case "getroomid": return true
        default: return false
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard Self.isProtected(request.uri.path) else { return try await next(request, context) }
        let presented = request.headers[.authorization].flatMap { value -> String? in
            let prefix = "Bearer "
            guard value.hasPrefix(prefix) else { return nil }
            return String(value.dropFirst(prefix.count))
        }
        guard let presented, Self.constantTimeEqual(presented, key) else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                message: "missing or wrong API key: send Authorization: Bearer <SFU_API_KEY>")
        }
        return try await next(request, context)
    }

    /// Compares digests so the time taken does not reveal how much of the key matched.
    private static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = SHA256.hash(data: Data(lhs.utf8))
        let right = SHA256.hash(data: Data(rhs.utf8))
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
