import NIOCore

/// The VP9 payload descriptor (RFC 9628 §4.2) at the start of every VP9 RTP payload.
///
/// ```
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |I|P|L|F|B|E|V|Z| (required)
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PICTURE ID  | (M=1: 15-bit picture id, one more byte)
///      +-+-+-+-+-+-+-+-+
/// L:   |  TID  |U| SID |D|
///      +-+-+-+-+-+-+-+-+
///      |   TL0PICIDX   | (only when F=0, non-flexible mode)
///      +-+-+-+-+-+-+-+-+
/// F&P: |  P_DIFF   |N| (flexible mode, up to 3, N=1: another follows)
///      +-+-+-+-+-+-+-+-+
/// V:   | SS ...        | (scalability structure)
///      +-+-+-+-+-+-+-+-+
/// ```
///
/// Key frame rule (both modes): B=1 (start of a layer frame), P=0 (no inter-picture
/// prediction) and spatial layer 0 (SID=0, or no layer indices at all). Upper spatial layers of
/// a key picture depend on layer 0 (inter-layer prediction), so only SID 0 can start decoding.
public struct Vp9PayloadDescriptor: Sendable, Equatable {
    /// A spatial layer's frame size, from the scalability structure.
    public struct Resolution: Sendable, Equatable {
        public var width: Int
        public var height: Int

        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    /// P: the picture uses inter-picture prediction.
    public var isInterPicturePredicted: Bool
    /// F: flexible mode (references signalled with P_DIFF instead of TL0PICIDX).
    public var isFlexibleMode: Bool
    /// B: the payload starts a layer frame.
    public var isStartOfFrame: Bool
    /// E: the payload ends a layer frame.
    public var isEndOfFrame: Bool
    /// Z: the frame is not used for inter-layer prediction by upper spatial layers.
    public var isNotReferenceForUpperSpatialLayer: Bool
    /// The 7- or 15-bit picture id (I bit).
    public var pictureId: UInt16?
    /// True when the picture id uses the 15-bit form (M bit).
    public var hasLongPictureId: Bool
    /// TID (L bit).
    public var temporalLayer: UInt8?
    /// U: switching up point to a higher temporal layer.
    public var isSwitchingUpPoint: Bool
    /// SID (L bit).
    public var spatialLayer: UInt8?
    /// D: inter-layer dependency on the spatial layer below.
    public var hasInterLayerDependency: Bool
    /// TL0PICIDX (non-flexible mode with L).
    public var tl0PictureIndex: UInt8?
    /// Number of P_DIFF reference indices (flexible mode with P).
    public var referenceCount: Int
    /// Resolutions of each spatial layer from the scalability structure, lowest layer first
    /// (empty without V, or when the structure omits resolutions).
    public var spatialLayerResolutions: [Resolution]
    /// Number of spatial layers announced by the scalability structure.
    public var spatialLayerCount: Int?
    /// Number of descriptor bytes; the VP9 frame data starts at this offset.
    public var length: Int
    /// See the type's key frame rule.
    public var isKeyFrame: Bool {
        isStartOfFrame && !isInterPicturePredicted && (spatialLayer ?? 0) == 0
    }

    /// Parses the descriptor at the start of `payload`; nil when the payload is empty or the
    /// descriptor (including a scalability structure) runs past its end.
    public init?(payload: ByteBuffer) {
        var reader = payload
        guard let flags = reader.readInteger(as: UInt8.self) else { return nil }
        let hasPictureId = flags & 0x80 != 0
        isInterPicturePredicted = flags & 0x40 != 0
        let hasLayerIndices = flags & 0x20 != 0
        isFlexibleMode = flags & 0x10 != 0
        isStartOfFrame = flags & 0x08 != 0
        isEndOfFrame = flags & 0x04 != 0
        let hasScalabilityStructure = flags & 0x02 != 0
        isNotReferenceForUpperSpatialLayer = flags & 0x01 != 0
        pictureId = nil
        hasLongPictureId = false
        temporalLayer = nil
        isSwitchingUpPoint = false
        spatialLayer = nil
        hasInterLayerDependency = false
        tl0PictureIndex = nil
        referenceCount = 0
        spatialLayerResolutions = []
        spatialLayerCount = nil

        if hasPictureId {
            guard let high = reader.readInteger(as: UInt8.self) else { return nil }
            if high & 0x80 != 0 {
                guard let low = reader.readInteger(as: UInt8.self) else { return nil }
                hasLongPictureId = true
                pictureId = UInt16(high & 0x7F) << 8 | UInt16(low)
            } else {
                pictureId = UInt16(high)
            }
        }
        if hasLayerIndices {
            guard let layers = reader.readInteger(as: UInt8.self) else { return nil }
            temporalLayer = layers >> 5
            isSwitchingUpPoint = layers & 0x10 != 0
            spatialLayer = (layers >> 1) & 0x07
            hasInterLayerDependency = layers & 0x01 != 0
            if !isFlexibleMode {
                guard let tl0 = reader.readInteger(as: UInt8.self) else { return nil }
                tl0PictureIndex = tl0
            }
        }
        if isFlexibleMode && isInterPicturePredicted {
            while referenceCount < 3 {
                guard let reference = reader.readInteger(as: UInt8.self) else { return nil }
                referenceCount += 1
                if reference & 0x01 == 0 { break }
            }
        }
        if hasScalabilityStructure {
            guard let header = reader.readInteger(as: UInt8.self) else { return nil }
            let layerCount = Int(header >> 5) + 1
            spatialLayerCount = layerCount
            if header & 0x10 != 0 {
                for _ in 0..<layerCount {
                    guard let layerWidth = reader.readInteger(as: UInt16.self),
                        let layerHeight = reader.readInteger(as: UInt16.self)
                    else { return nil }
                    spatialLayerResolutions.append(Resolution(width: Int(layerWidth), height: Int(layerHeight)))
                }
            }
            if header & 0x08 != 0 {
                guard let groupCount = reader.readInteger(as: UInt8.self) else { return nil }
                for _ in 0..<groupCount {
                    guard let picture = reader.readInteger(as: UInt8.self) else { return nil }
                    let referenceIndices = Int(picture >> 2) & 0x03
                    guard reader.readSlice(length: referenceIndices) != nil else { return nil }
                }
            }
        }
        length = reader.readerIndex - payload.readerIndex
    }

    /// The codec-independent summary. Width and height are those of this packet's spatial layer
    /// when the scalability structure lists resolutions.
    public var payloadDescription: CodecPayloadDescription {
        let layer = Int(spatialLayer ?? 0)
        let resolution = layer < spatialLayerResolutions.count ? spatialLayerResolutions[layer] : nil
        return CodecPayloadDescription(
            isKeyFrame: isKeyFrame, temporalLayer: temporalLayer, spatialLayer: spatialLayer,
            pictureId: pictureId, tl0PictureIndex: tl0PictureIndex,
            width: resolution?.width, height: resolution?.height)
    }
}
