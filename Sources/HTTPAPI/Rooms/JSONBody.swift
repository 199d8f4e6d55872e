import Foundation
import Hummingbird
import NIOCore

/// Reading JSON request bodies and writing JSON responses for the REST API.
enum JSONBody {
    /// Request bodies above this are refused with 413; the largest legitimate body (RTP
    /// capabilities of a browser) is a few kilobytes.
    static let maxSize = 256 * 1024

    /// Decodes the body as `T`; an empty body decodes as `{}`. Malformed JSON and missing or
    /// mistyped fields are 400 errors naming the field as `body.<path>`; a body over
    /// ``maxSize`` is a 413 error stating the limit.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxSize)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "request body exceeds \(maxSize) bytes")
        }
        if buffer.readableBytes == 0 { buffer = ByteBuffer(string: "{}") }
        do {
            return try JSONDecoder().decode(T.self, from: buffer)
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: describe(error, body: buffer))
        }
    }

    static func describe(_ error: DecodingError, body: ByteBuffer) -> String {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            let names = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
            return "body" + names.joined().replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(path(context.codingPath, key))"
        case .typeMismatch(let type, let context):
            return "invalid \(path(context.codingPath)): expected \(Self.typeName(type))"
        case .valueNotFound(let type, let context):
            return "invalid \(path(context.codingPath)): expected \(Self.typeName(type)), got null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // Foundation reports a number that does not fit its field like a syntax error,
                // without a path; tell the two apart so the client looks at the right thing.
                let isJSON = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) != nil
                return isJSON
                    ? "invalid request body: a number is negative, fractional or too large for its field"
                    : "request body is not valid JSON"
            }
            return "invalid \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "invalid request body"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is UInt32.Type, is UInt16.Type, is UInt8.Type, is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: "an object or array of the right shape"
        }
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
