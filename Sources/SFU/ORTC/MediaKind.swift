/// The kind of media a codec, header extension, producer or consumer carries.
public enum MediaKind: String, Sendable, Hashable, Codable, CaseIterable {
    case audio
    case video
}

extension MediaKind {
    /// The kind named by a mime type's top-level type (`video/VP8` → video), case-insensitive as
    /// mediasoup's `^(audio|video)/(.+)` check; nil when the mime type is not `audio/…` or
    /// `video/…` with a non-empty subtype.
    public init?(mimeType: String) {
        guard let slash = mimeType.firstIndex(of: "/"), mimeType.index(after: slash) < mimeType.endIndex,
            let kind = MediaKind(rawValue: mimeType[..<slash].lowercased())
        else { return nil }
        self = kind
    }
}
