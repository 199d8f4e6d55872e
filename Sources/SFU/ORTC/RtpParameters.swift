/// How one RTP stream is sent or received (mediasoup's `RtpParameters`): a producer's as its
/// endpoint sends them, or a consumer's as the router sends them.
public struct RtpParameters: Sendable, Hashable, Codable {
    /// The MID (RFC 9143) the endpoint stamps on the stream, used to demultiplex it.
    public var mid: String?
    /// Media codecs and their RTX codecs; the first media codec is the one in use unless an
    /// encoding names another.
    public var codecs: [RtpCodecParameters]
    public var headerExtensions: [RtpHeaderExtensionParameters]?
    public var encodings: [RtpEncodingParameters]?
    public var rtcp: RtcpParameters?

    public init(
        mid: String? = nil, codecs: [RtpCodecParameters], headerExtensions: [RtpHeaderExtensionParameters]? = nil,
        encodings: [RtpEncodingParameters]? = nil, rtcp: RtcpParameters? = nil
    ) {
        self.mid = mid
        self.codecs = codecs
        self.headerExtensions = headerExtensions
        self.encodings = encodings
        self.rtcp = rtcp
    }

    /// mediasoup's `validateRtpParameters`: validates every codec, extension and encoding,
    /// filling their defaults; absent lists become empty and absent `rtcp` becomes
    /// `{reducedSize: true}`. Throws when an encoding's `codecPayloadType` names no media codec.
    public mutating func validate() throws(OrtcError) {
        if let mid, mid.isEmpty { throw .invalid("invalid params.mid") }
        var codecs = self.codecs
        for index in codecs.indices {
            try codecs[index].validate()
        }
        var headerExtensions = self.headerExtensions ?? []
        for index in headerExtensions.indices {
            try headerExtensions[index].validate()
        }
        var encodings = self.encodings ?? []
        for index in encodings.indices {
            try encodings[index].validate()
            if let payloadType = encodings[index].codecPayloadType,
                !codecs.contains(where: { $0.payloadType == payloadType && !$0.isRtx })
            {
                throw .invalid("invalid encoding.codecPayloadType [codecPayloadType:\(payloadType)]")
            }
        }
        var rtcp = self.rtcp ?? RtcpParameters()
        try rtcp.validate()
        self.codecs = codecs
        self.headerExtensions = headerExtensions
        self.encodings = encodings
        self.rtcp = rtcp
    }

    /// The media codec an encoding uses: the one its `codecPayloadType` names, else the first
    /// media (non-RTX) codec.
    public func mediaCodec(for encoding: RtpEncodingParameters) -> RtpCodecParameters? {
        if let payloadType = encoding.codecPayloadType {
            return codecs.first { $0.payloadType == payloadType && !$0.isRtx }
        }
        return codecs.first { !$0.isRtx }
    }
}
