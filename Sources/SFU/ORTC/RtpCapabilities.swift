/// What an endpoint can receive, or what a router supports (mediasoup's `RtpCapabilities`).
///
/// Both lists are optional on the wire; ``validate()`` turns absent lists into empty ones.
public struct RtpCapabilities: Sendable, Hashable, Codable {
    public var codecs: [RtpCodecCapability]?
    public var headerExtensions: [RtpHeaderExtension]?

    public init(codecs: [RtpCodecCapability]? = nil, headerExtensions: [RtpHeaderExtension]? = nil) {
        self.codecs = codecs
        self.headerExtensions = headerExtensions
    }

    /// mediasoup's `validateRtpCapabilities`: validates every codec and header extension,
    /// filling their defaults; absent lists become empty.
    public mutating func validate() throws(OrtcError) {
        var codecs = self.codecs ?? []
        for index in codecs.indices {
            try codecs[index].validate()
        }
        var headerExtensions = self.headerExtensions ?? []
        for index in headerExtensions.indices {
            try headerExtensions[index].validate()
        }
        self.codecs = codecs
        self.headerExtensions = headerExtensions
    }
}
