import Rooms

extension JSONValue {
    /// JavaScript truthiness, which protoo uses to tell requests, responses and notifications
    /// apart and to read `ok`.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .integer(let value): value != 0
        case .number(let value): value != 0 && !value.isNaN
        case .string(let value): !value.isEmpty
        case .array, .object: true
        }
    }

    // Turning the classic demo's messages into the TypeScript demo's. Anything but an object
    // is left unchanged.

    /// The object with its member `key` named `newKey`.
    func renaming(_ key: String, to newKey: String) -> JSONValue {
        guard case .object(var object) = self, let value = object.removeValue(forKey: key) else { return self }
        object[newKey] = value
        return .object(object)
    }

    /// The object with `members` added (replacing members of the same names).
    func adding(_ members: [String: JSONValue]) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object.merge(members) { _, added in added }
        return .object(object)
    }

    /// The object without its member `key`.
    func removing(_ key: String) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object[key] = nil
        return .object(object)
    }

    /// The value as a protoo id or error code: any JSON number with an integral value.
    var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .number(let value) where value.rounded() == value && abs(value) < 9e15: Int64(value)
        default: nil
        }
    }
}
