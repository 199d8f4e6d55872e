/// A TURN/STUN server handed to clients with their WebRTC transports (the `RTCIceServer`
/// dictionary).
public struct IceServerDescription: Sendable, Hashable, Codable {
    public var urls: [String]
    public var username: String?
    public var credential: String?

    public init(urls: [String], username: String? = nil, credential: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }
}
