/// A header extension an endpoint or router supports (mediasoup's `RtpHeaderExtension`
/// capability). Consumers' endpoints must use the router's `preferredId` for each `uri`.
public struct RtpHeaderExtension: Sendable, Hashable, Codable {
    public var kind: MediaKind
    /// The `a=extmap` URI; see ``RtpHeaderExtensionUri`` for those the router knows.
    public var uri: String
    /// The extension id, 1–255 (1–14 in one-byte headers).
    public var preferredId: Int
    /// Defaults to false; header extension encryption (RFC 6904) is not supported.
    public var preferredEncrypt: Bool?
    /// Defaults to `sendrecv`.
    public var direction: RtpHeaderExtensionDirection?

    public init(
        kind: MediaKind, uri: String, preferredId: Int, preferredEncrypt: Bool? = nil,
        direction: RtpHeaderExtensionDirection? = nil
    ) {
        self.kind = kind
        self.uri = uri
        self.preferredId = preferredId
        self.preferredEncrypt = preferredEncrypt
        self.direction = direction
    }

    /// mediasoup's `validateRtpHeaderExtension`: `preferredEncrypt` false and `direction`
    /// sendrecv when absent; throws on an empty URI or an id outside 1–255.
    public mutating func validate() throws(OrtcError) {
        guard !uri.isEmpty else { throw .invalid("missing ext.uri") }
        guard RtpHeaderExtensionIds.all.contains(preferredId) else {
            throw .invalid("invalid ext.preferredId [preferredId:\(preferredId)]")
        }
        if preferredEncrypt == nil { preferredEncrypt = false }
        if direction == nil { direction = .sendrecv }
    }
}
