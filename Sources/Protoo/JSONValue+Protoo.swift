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

    /// The value as a protoo id or error code: any JSON number with an integral value.
    var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .number(let value) where value.rounded() == value && abs(value) < 9e15: Int64(value)
        default: nil
        }
    }
}
