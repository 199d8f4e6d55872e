/// How a producer's payload types and SSRCs translate to the router's (mediasoup's
/// `RtpMapping`): the router rewrites every incoming packet with it so that all consumers see
/// one canonical stream per encoding whatever the producing endpoint chose.
public struct RtpParametersMapping: Sendable, Hashable, Codable {
    /// One producer payload type and the router's preferred payload type for the same codec.
    public struct CodecMapping: Sendable, Hashable, Codable {
        public var payloadType: Int
        public var mappedPayloadType: Int

        public init(payloadType: Int, mappedPayloadType: Int) {
            self.payloadType = payloadType
            self.mappedPayloadType = mappedPayloadType
        }
    }

    /// One producer encoding (identified by SSRC and/or rid) and the SSRC the router gives it.
    public struct EncodingMapping: Sendable, Hashable, Codable {
        public var ssrc: UInt32?
        public var rid: String?
        public var scalabilityMode: String?
        public var mappedSsrc: UInt32

        public init(ssrc: UInt32? = nil, rid: String? = nil, scalabilityMode: String? = nil, mappedSsrc: UInt32) {
            self.ssrc = ssrc
            self.rid = rid
            self.scalabilityMode = scalabilityMode
            self.mappedSsrc = mappedSsrc
        }
    }

    /// Media codecs first, in the producer's order, then RTX codecs.
    public var codecs: [CodecMapping]
    /// One entry per producer encoding, same order; mapped SSRCs are consecutive.
    public var encodings: [EncodingMapping]

    public init(codecs: [CodecMapping], encodings: [EncodingMapping]) {
        self.codecs = codecs
        self.encodings = encodings
    }
}
