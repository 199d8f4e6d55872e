import NIOCore

/// The VP8 payload descriptor (RFC 7741 §4.2) at the start of every VP8 RTP payload, plus what
/// the first bytes of the VP8 payload header say about key frames.
///
/// ```
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID | (required)
///      +-+-+-+-+-+-+-+-+
/// X:   |I|L|T|K| RSV   | (optional)
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PictureID   | (optional; M=1: 15-bit PictureID, one more byte)
///      +-+-+-+-+-+-+-+-+
/// L:   |   TL0PICIDX   | (optional)
///      +-+-+-+-+-+-+-+-+
/// T/K: |TID|Y| KEYIDX  | (optional)
///      +-+-+-+-+-+-+-+-+
/// ```
///
/// Key frame rule: start of partition 0 (S=1, PID=0) and the VP8 payload header's P bit (bit 0
/// of the first byte after the descriptor) is 0. Width and height come from the key frame
/// header after the start code `9d 01 2a` (RFC 6386 §9.1).
public struct Vp8PayloadDescriptor: Sendable, Equatable {
    /// X: the extension byte is present.
    public var hasExtension: Bool
    /// N: the frame can be discarded without affecting other frames.
    public var isNonReference: Bool
    /// S: the payload starts a VP8 partition.
    public var isStartOfPartition: Bool
    /// PID: the partition index (0–7).
    public var partitionIndex: UInt8
    /// The 7- or 15-bit PictureID (I bit).
    public var pictureId: UInt16?
    /// True when the PictureID uses the 15-bit form (M bit).
    public var hasLongPictureId: Bool
    /// TL0PICIDX (L bit).
    public var tl0PictureIndex: UInt8?
    /// TID, the temporal layer index (T bit).
    public var temporalLayer: UInt8?
    /// Y: layer sync, the frame depends only on temporal layer 0 (meaningful with T).
    public var isLayerSync: Bool
    /// KEYIDX (K bit).
    public var keyIndex: UInt8?
    /// Number of descriptor bytes; the VP8 payload header starts at this offset.
    public var length: Int
    /// See the type's key frame rule.
    public var isKeyFrame: Bool
    /// Frame width from a key frame header, when the payload holds it.
    public var width: Int?
    /// Frame height from a key frame header, when the payload holds it.
    public var height: Int?

    /// Offsets from the payload start of the rewritable fields.
    var pictureIdOffset: Int?
    var tl0PictureIndexOffset: Int?

    /// The payload starts a new frame (first packet of partition 0).
    public var isStartOfFrame: Bool { isStartOfPartition && partitionIndex == 0 }

    /// Parses the descriptor at the start of `payload`; nil when the payload is empty or the
    /// descriptor runs past its end.
    public init?(payload: ByteBuffer) {
        var reader = payload
        guard let first = reader.readInteger(as: UInt8.self) else { return nil }
        hasExtension = first & 0x80 != 0
        isNonReference = first & 0x20 != 0
        isStartOfPartition = first & 0x10 != 0
        partitionIndex = first & 0x07
        pictureId = nil
        hasLongPictureId = false
        tl0PictureIndex = nil
        temporalLayer = nil
        isLayerSync = false
        keyIndex = nil
        isKeyFrame = false
        width = nil
        height = nil

        if hasExtension {
            guard let flags = reader.readInteger(as: UInt8.self) else { return nil }
            if flags & 0x80 != 0 {
                pictureIdOffset = reader.readerIndex - payload.readerIndex
                guard let high = reader.readInteger(as: UInt8.self) else { return nil }
                if high & 0x80 != 0 {
                    guard let low = reader.readInteger(as: UInt8.self) else { return nil }
                    hasLongPictureId = true
                    pictureId = UInt16(high & 0x7F) << 8 | UInt16(low)
                } else {
                    pictureId = UInt16(high)
                }
            }
            if flags & 0x40 != 0 {
                tl0PictureIndexOffset = reader.readerIndex - payload.readerIndex
                guard let tl0 = reader.readInteger(as: UInt8.self) else { return nil }
                tl0PictureIndex = tl0
            }
            if flags & 0x30 != 0 {
                guard let layers = reader.readInteger(as: UInt8.self) else { return nil }
                if flags & 0x20 != 0 {
                    temporalLayer = layers >> 6
                    isLayerSync = layers & 0x20 != 0
                }
                if flags & 0x10 != 0 { keyIndex = layers & 0x1F }
            }
        }
        length = reader.readerIndex - payload.readerIndex

        if isStartOfFrame, let header = reader.getInteger(at: reader.readerIndex, as: UInt8.self), header & 0x01 == 0 {
            isKeyFrame = true
            // Key frame header: 3-byte frame tag, start code 9d 01 2a, then 14-bit little-endian
            // width and height (the top 2 bits of each are the scaling mode).
            let start = reader.readerIndex
            if reader.getInteger(at: start + 3, as: UInt8.self) == 0x9D,
                reader.getInteger(at: start + 4, as: UInt8.self) == 0x01,
                reader.getInteger(at: start + 5, as: UInt8.self) == 0x2A,
                let rawWidth = reader.getInteger(at: start + 6, endianness: .little, as: UInt16.self),
                let rawHeight = reader.getInteger(at: start + 8, endianness: .little, as: UInt16.self)
            {
                width = Int(rawWidth & 0x3FFF)
                height = Int(rawHeight & 0x3FFF)
            }
        }
    }

    /// The codec-independent summary.
    public var payloadDescription: CodecPayloadDescription {
        CodecPayloadDescription(
            isKeyFrame: isKeyFrame, temporalLayer: temporalLayer, pictureId: pictureId,
            tl0PictureIndex: tl0PictureIndex, width: width, height: height)
    }

    /// Rewrites PictureID and/or TL0PICIDX in `packet`'s payload, in place, keeping the field
    /// sizes: a 7-bit PictureID keeps its low 7 bits, a 15-bit one its low 15 bits. This is how a
    /// simulcast consumer keeps picture numbering continuous across stream switches.
    ///
    /// `self` must have been parsed from `packet.payload`. Returns false (and writes nothing)
    /// when a requested field is absent from the descriptor.
    @discardableResult
    public func rewrite(pictureId newPictureId: UInt16?, tl0PictureIndex newTl0PictureIndex: UInt8?, in packet: inout RtpPacket) -> Bool {
        if newPictureId != nil, pictureIdOffset == nil { return false }
        if newTl0PictureIndex != nil, tl0PictureIndexOffset == nil { return false }
        if let newPictureId, let offset = pictureIdOffset {
            if hasLongPictureId {
                guard packet.setPayloadInteger(0x8000 | (newPictureId & 0x7FFF), at: offset) else { return false }
            } else {
                guard packet.setPayloadInteger(UInt8(newPictureId & 0x7F), at: offset) else { return false }
            }
        }
        if let newTl0PictureIndex, let offset = tl0PictureIndexOffset {
            guard packet.setPayloadInteger(newTl0PictureIndex, at: offset) else { return false }
        }
        return true
    }
}
