/// One value of a codec's `parameters` map, as mediasoup carries it: a string or a number
/// (`{"profile-level-id": "42e01f", "packetization-mode": 1}`).
///
/// Browsers send SDP fmtp values, which mediasoup-client turns into numbers when they look
/// numeric, so the same parameter can arrive as `1` or `"1"`; readers should go through
/// ``integerValue`` and ``stringValue`` rather than switching on the case.
public enum CodecParameterValue: Sendable, Hashable {
    case string(String)
    case number(Double)

    /// The value as an integer: a number without a fractional part, or a string of decimal
    /// digits (with an optional sign). Nil otherwise.
    public var integerValue: Int? {
        switch self {
        case .number(let number): return Int(exactly: number)
        case .string(let string): return Int(string)
        }
    }

    /// The value as a number: a number, or a string that parses as one ("2.5"). Nil otherwise.
    public var numberValue: Double? {
        switch self {
        case .number(let number): return number
        case .string(let string): return Double(string)
        }
    }

    /// The value as text: strings as they are, integral numbers without a decimal point
    /// (`1`, not `1.0`), so that SDP fmtp lines can be rebuilt from it.
    public var stringValue: String {
        switch self {
        case .string(let string): return string
        case .number(let number):
            if let integer = integerValue { return String(integer) }
            return String(number)
        }
    }
}

extension CodecParameterValue: CustomStringConvertible {
    public var description: String { stringValue }
}

extension CodecParameterValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension CodecParameterValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension CodecParameterValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension CodecParameterValue: Codable {
    /// Decodes a JSON string or number; anything else (booleans, objects) is a type mismatch.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let string): try container.encode(string)
        case .number(let number):
            if let integer = integerValue {
                try container.encode(integer)
            } else {
                try container.encode(number)
            }
        }
    }
}
