/// The client software a participant announces (`device` in mediasoup-demo): by convention
/// `name`, `version` and `flag`, kept whole as the client sent it, since mediasoup-demo hands a
/// peer's `device` on to the others unchanged (a client may add fields or send a number as
/// `version`).
public struct DeviceInfo: Sendable, Hashable, Codable {
    public private(set) var fields: [String: JSONValue]

    public init(name: String, version: String? = nil, flag: String? = nil) {
        fields = ["name": .string(name)]
        if let version { fields["version"] = .string(version) }
        if let flag { fields["flag"] = .string(flag) }
    }

    /// A broadcaster's device as mediasoup-demo records it: flagged `broadcaster`, named
    /// (`Unknown device` without a name), its version as given.
    public static func broadcaster(announced device: DeviceInfo?) -> DeviceInfo {
        var result = DeviceInfo(name: device?.name ?? "Unknown device", flag: "broadcaster")
        result.fields["version"] = device?.fields["version"]
        return result
    }

    /// The `name` field when it is a non-empty string.
    public var name: String? {
        guard case .string(let name)? = fields["name"], !name.isEmpty else { return nil }
        return name
    }

    public init(from decoder: any Decoder) throws {
        fields = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fields)
    }
}
