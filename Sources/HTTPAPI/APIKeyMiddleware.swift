import Crypto
import Foundation
import Hummingbird

/// With `SFU_API_KEY` set, the REST API (`/rooms…`, `/getRoomId`) requires
/// `Authorization: Bearer <key>`; probes, metrics, `/openapi.json`, the web app and WebSocket
/// upgrades do not.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: String

    static func isProtected(_ path: String) -> Bool {
        path == "/rooms" || path.hasPrefix("/rooms/") || path == "/getRoomId"
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
