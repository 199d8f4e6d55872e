import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// Maps every error a route throws, and requests no route matches, to a JSON body
/// `{"error": "..."}` with the right status, so clients never get an empty or HTML error.
/// Errors that are not `HTTPResponseError` are server faults: 500 with a generic message,
/// the detail logged rather than leaked.
public struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await answer(request, context: context, next: next)
        // A HEAD answer has the GET's head only (the router makes HEAD routes of GET ones),
        // Content-Length included.
        if request.method == .head {
            let length = response.headers[.contentLength]
            response.body = ResponseBody()
            response.headers[.contentLength] = length
        }
        return response
    }

    private func answer(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message =
                error.body
                ?? (error.status == .notFound
                    ? "no route for \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            return Self.response(error.status, message: message, headers: error.headers)
        } catch let error as any HTTPResponseError {
            return Self.response(error.status, message: error.status.reasonPhrase)
        } catch let error as HTTPParserError {
            // A body the client framed wrongly (a bad chunk size, say) is its fault, not ours.
            return Self.response(.badRequest, message: "malformed HTTP request body: \(error)")
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Self.response(.internalServerError, message: "internal server error")
        }
    }

    static func response(_ status: HTTPResponse.Status, message: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let body = (try? encoder.encode(["error": message])) ?? Data(#"{"error":"error"}"#.utf8)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
