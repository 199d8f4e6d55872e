import Foundation
import Rooms

/// One protoo frame: a JSON object in one WebSocket text message. Parsing follows protoo's
/// `Message.parse` exactly, so anything protoo would drop parses to nil here.
public enum ProtooMessage: Sendable, Hashable {
    case request(ProtooRequest)
    case response(ProtooResponse)
    case notification(ProtooNotification)

    /// The message in `text`, or nil when protoo would drop it: not a JSON object, no truthy
    /// `request`/`response`/`notification`, a non-string `method` or a non-numeric `id`.
    public init?(text: String) {
        guard let value = Self.parse(text), case .object(let members) = value else { return nil }
        let data = members["data"].flatMap { $0 == .null ? nil : $0 } ?? .emptyObject
        if members["request"]?.isTruthy == true {
            guard case .string(let method)? = members["method"], let id = members["id"]?.integerValue else { return nil }
            self = .request(ProtooRequest(id: id, method: method, data: data))
        } else if members["response"]?.isTruthy == true {
            guard let id = members["id"]?.integerValue else { return nil }
            if members["ok"]?.isTruthy == true {
                self = .response(ProtooResponse(id: id, outcome: .success(data)))
            } else {
                let code = members["errorCode"]?.integerValue.map { Int($0) } ?? 500
                let reason: String
                switch members["errorReason"] {
                case .string(let text)?: reason = text
                case let other?: reason = String(decoding: (try? JSONEncoder().encode(other)) ?? Data(), as: UTF8.self)
                case nil: reason = ""
                }
                self = .response(ProtooResponse(id: id, outcome: .failure(ProtooError(code: code, reason: reason))))
            }
        } else if members["notification"]?.isTruthy == true {
            guard case .string(let method)? = members["method"] else { return nil }
            self = .notification(ProtooNotification(method: method, data: data))
        } else {
            return nil
        }
    }

    private static func parse(_ text: String) -> JSONValue? {
        if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) { return value }
        guard let repaired = LoneSurrogateEscapes.replaced(in: text) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(repaired.utf8))
    }

    /// The message as protoo-server writes it; error responses carry no `ok`, as protoo-server's.
    public var json: JSONValue {
        switch self {
        case .request(let request):
            .object([
                "request": .bool(true), "id": .integer(request.id), "method": .string(request.method),
                "data": request.data,
            ])
        case .response(let response):
            switch response.outcome {
            case .success(let data):
                .object(["response": .bool(true), "id": .integer(response.id), "ok": .bool(true), "data": data])
            case .failure(let error):
                .object([
                    "response": .bool(true), "id": .integer(response.id), "errorCode": .integer(Int64(error.code)),
                    "errorReason": .string(error.reason),
                ])
            }
        case .notification(let notification):
            .object([
                "notification": .bool(true), "method": .string(notification.method), "data": notification.data,
            ])
        }
    }

    /// The text frame to send; fails only for a non-finite number in `data`, which JSON cannot
    /// carry.
    public func text() throws -> String {
        String(decoding: try JSONEncoder().encode(json), as: UTF8.self)
    }
}
