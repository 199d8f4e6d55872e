/// Why codec parameters announced by a producer (or configured as router media codecs) cannot be
/// handled by the server. Each description names the codec, the offending value and what would
/// be accepted, so that it can be returned to the client as it is.
public enum CodecParameterError: Error, Sendable, Hashable {
    /// The mime type is not one the server forwards.
    case unsupportedMimeType(String, supported: [String])
    /// The clock rate is not one the codec's RTP payload format allows.
    case unsupportedClockRate(mimeType: String, clockRate: Int, supported: [Int])
    /// The channel count is not one the codec allows.
    case unsupportedChannelCount(mimeType: String, channels: Int, supported: [Int])
    /// A parameter is present with a value outside what its specification allows.
    case invalidParameter(mimeType: String, name: String, value: CodecParameterValue, expected: String)
    /// A parameter the codec cannot work without is absent.
    case missingParameter(mimeType: String, name: String, expected: String)
    /// Parameters are valid one by one but contradict each other.
    case inconsistentParameters(mimeType: String, reason: String)
    /// The H264 `profile-level-id` cannot be read (RFC 6184 §8.1).
    case invalidProfileLevelId(mimeType: String, value: String, reason: H264ProfileLevelId.ParseError)
}

extension CodecParameterError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unsupportedMimeType(let mimeType, let supported):
            return "codec '\(mimeType)' is not supported; use one of: \(supported.joined(separator: ", "))"
        case .unsupportedClockRate(let mimeType, let clockRate, let supported):
            return "\(mimeType) clockRate \(clockRate) is not supported; use "
                + Self.alternatives(supported.map(String.init))
        case .unsupportedChannelCount(let mimeType, let channels, let supported):
            return "\(mimeType) with \(channels) channels is not supported; use channels "
                + Self.alternatives(supported.map(String.init))
        case .invalidParameter(let mimeType, let name, let value, let expected):
            return "\(mimeType) parameter '\(name)' has the invalid value '\(value)'; expected \(expected)"
        case .missingParameter(let mimeType, let name, let expected):
            return "\(mimeType) requires the parameter '\(name)' (\(expected))"
        case .inconsistentParameters(let mimeType, let reason):
            return "\(mimeType) parameters are inconsistent: \(reason)"
        case .invalidProfileLevelId(let mimeType, let value, let reason):
            return "\(mimeType) parameter 'profile-level-id' has the invalid value '\(value)': \(reason); "
                + "expected 6 hex digits such as 42e01f (constrained baseline 3.1) or 640032 (high 5.0)"
        }
    }

    /// "1", "1 or 2", "8000, 16000 or 32000".
    private static func alternatives(_ values: [String]) -> String {
        guard let last = values.last else { return "nothing" }
        let head = values.dropLast()
        return head.isEmpty ? last : head.joined(separator: ", ") + " or " + last
    }
}
