/// How a producer's stream is layered, which decides how consumers switch layers
/// (mediasoup's `ProducerType`).
public enum ProducerType: String, Sendable, Hashable, Codable, CaseIterable {
    /// One stream, no layers to choose from.
    case simple
    /// Several encodings (one per spatial layer), or one VP8/H264 stream with temporal layers.
    case simulcast
    /// One VP9 or H264-SVC stream carrying several spatial and/or temporal layers.
    case svc

    /// The worker's rule (mediasoup-compat §4.7 step 7): several encodings are simulcast; one
    /// encoding whose `scalabilityMode` has more than one spatial or temporal layer is SVC for
    /// VP9 and H264-SVC, simulcast for VP8 and H264, simple otherwise; one encoding without
    /// layers is simple.
    public init(rtpParameters: RtpParameters) {
        let encodings = rtpParameters.encodings ?? []
        guard encodings.count <= 1 else {
            self = .simulcast
            return
        }
        guard let encoding = encodings.first, let codec = rtpParameters.mediaCodec(for: encoding) else {
            self = .simple
            return
        }
        let layers = ScalabilityMode(parsing: encoding.scalabilityMode)
        guard layers.spatialLayers > 1 || layers.temporalLayers > 1 else {
            self = .simple
            return
        }
        switch codec.mimeType.lowercased() {
        case "video/vp9", "video/h264-svc": self = .svc
        case "video/vp8", "video/h264": self = .simulcast
        default: self = .simple
        }
    }
}
