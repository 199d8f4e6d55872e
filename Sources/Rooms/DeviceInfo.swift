/// The client software a participant announces (`device` in mediasoup-demo).
public struct DeviceInfo: Sendable, Hashable, Codable {
    public var name: String
    public var version: String?
    public var flag: String?

    public init(name: String, version: String? = nil, flag: String? = nil) {
        self.name = name
        self.version = version
        self.flag = flag
    }
}
