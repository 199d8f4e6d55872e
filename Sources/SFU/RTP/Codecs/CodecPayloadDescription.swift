/// What a forwarder needs to know about one RTP payload without decoding media: whether it
/// starts a key frame, which scalability layer it belongs to, and the picture numbering that
/// simulcast/SVC consumers rewrite.
///
/// Fields a codec's payload format does not carry are nil (H264 carries no layer indices in its
/// payload; Opus carries none of these).
public struct CodecPayloadDescription: Sendable, Equatable {
    /// The payload begins or is part of a key frame a decoder can start from.
    public var isKeyFrame: Bool
    /// Temporal layer index (VP8 TID, VP9 TID).
    public var temporalLayer: UInt8?
    /// Spatial layer index (VP9 SID).
    public var spatialLayer: UInt8?
    /// 7- or 15-bit picture id (VP8/VP9).
    public var pictureId: UInt16?
    /// Temporal layer 0 picture index (VP8/VP9 non-flexible mode).
    public var tl0PictureIndex: UInt8?
    /// Frame width in pixels, when the payload carries it (VP8 key frames, VP9 scalability structure).
    public var width: Int?
    /// Frame height in pixels, when the payload carries it.
    public var height: Int?
    /// The payload is a discontinuous-transmission / comfort-noise frame (Opus DTX).
    public var isDtx: Bool

    public init(
        isKeyFrame: Bool,
        temporalLayer: UInt8? = nil,
        spatialLayer: UInt8? = nil,
        pictureId: UInt16? = nil,
        tl0PictureIndex: UInt8? = nil,
        width: Int? = nil,
        height: Int? = nil,
        isDtx: Bool = false
    ) {
        self.isKeyFrame = isKeyFrame
        self.temporalLayer = temporalLayer
        self.spatialLayer = spatialLayer
        self.pictureId = pictureId
        self.tl0PictureIndex = tl0PictureIndex
        self.width = width
        self.height = height
        self.isDtx = isDtx
    }
}
