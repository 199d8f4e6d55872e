import Hummingbird
import Rooms

extension RoomError {
    /// The one place room errors become HTTP statuses.
    var httpError: HTTPError {
        switch self {
        case .invalid(let message): HTTPError(.badRequest, message: message)
        case .notFound(let message): HTTPError(.notFound, message: message)
        case .conflict(let message): HTTPError(.conflict, message: message)
        case .unsupported(let message): HTTPError(.unprocessableContent, message: message)
        case .notImplemented(let message): HTTPError(.notImplemented, message: message)
        case .unavailable(let message): HTTPError(.serviceUnavailable, message: message)
        }
    }
}

/// Runs a room operation, turning its typed error into the HTTP error the middleware answers.
func roomCall<T>(_ body: () async throws(RoomError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw error.httpError
    }
}
