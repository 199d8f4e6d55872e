import SFU

/// A participant's producers as the TypeScript mediasoup-demo's broadcaster API lists them
/// (`peerProducersInfos`): enough for a plain RTP receiver to pick one and write its SDP.
public struct PeerProducersInfo: Sendable, Encodable {
    public struct ProducerInfo: Sendable, Encodable {
        public var producerId: String
        public var kind: MediaKind
        /// The producer's `appData.source` ("audio", "video", "screensharing"), else its kind.
        public var source: String
        public var consumableCodecs: [ConsumableCodec]
    }

    /// A codec consumers of the producer can get, as the router names it (without RTCP feedback).
    public struct ConsumableCodec: Sendable, Encodable {
        public var mimeType: String
        public var payloadType: Int
        public var clockRate: Int
        public var channels: Int?
        public var parameters: [String: CodecParameterValue]
    }

    public var peerId: String
    public var producers: [ProducerInfo]
}
