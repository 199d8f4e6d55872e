/// A header extension in use on a stream (mediasoup's `RtpHeaderExtensionParameters`).
public struct RtpHeaderExtensionParameters: Sendable, Hashable, Codable {
    public var uri: String
    /// 1–255 (1–14 in one-byte headers).
    public var id: Int
    /// Defaults to false; encryption is not supported.
    public var encrypt: Bool?
    /// Defaults to empty.
    public var parameters: [String: CodecParameterValue]?

    public init(uri: String, id: Int, encrypt: Bool? = nil, parameters: [String: CodecParameterValue]? = nil) {
        self.uri = uri
        self.id = id
        self.encrypt = encrypt
        self.parameters = parameters
    }

    /// mediasoup's `validateRtpHeaderExtensionParameters`: `encrypt` false and `parameters`
    /// empty when absent; throws on an empty URI or an id outside 1–255.
    public mutating func validate() throws(OrtcError) {
        guard !uri.isEmpty else { throw .invalid("missing ext.uri") }
        guard RtpHeaderExtensionIds.all.contains(id) else { throw .invalid("invalid ext.id [id:\(id)]") }
        if encrypt == nil { encrypt = false }
        if parameters == nil { parameters = [:] }
    }
}
