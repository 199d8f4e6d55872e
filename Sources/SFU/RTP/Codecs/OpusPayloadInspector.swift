import NIOCore

/// Inspection of Opus RTP payloads (RFC 7587): the TOC byte and DTX detection.
///
/// DTX rule: a payload of at most 2 bytes is a DTX / comfort-noise frame. With DTX on, libopus
/// encoders emit 1–2 byte packets (TOC, maybe a frame-count byte, no audio data) during
/// silence; mediasoup's `ignoreDtx` consumer option drops exactly those.
public enum OpusPayloadInspector {
    /// Largest payload considered a DTX frame.
    public static let maximumDtxPayloadLength = 2

    /// Whether `payload` is a DTX frame (see the type's rule). An empty payload counts as DTX.
    public static func isDtx(payload: ByteBuffer) -> Bool {
        payload.readableBytes <= maximumDtxPayloadLength
    }

    /// The TOC byte, or nil for an empty payload.
    public static func toc(payload: ByteBuffer) -> OpusToc? {
        payload.getInteger(at: payload.readerIndex, as: UInt8.self).map(OpusToc.init(byte:))
    }

    /// Number of frames in the packet: 1 for code 0, 2 for codes 1 and 2, and for code 3 the
    /// count M from the second byte. Nil for an empty payload, a code 3 packet without its
    /// frame-count byte, or M = 0 (invalid per RFC 6716 §3.2.5).
    public static func frameCount(payload: ByteBuffer) -> Int? {
        guard let toc = toc(payload: payload) else { return nil }
        switch toc.frameCountCode {
        case 0: return 1
        case 1, 2: return 2
        default:
            guard let countByte = payload.getInteger(at: payload.readerIndex + 1, as: UInt8.self) else { return nil }
            let count = Int(countByte & 0x3F)
            return count > 0 ? count : nil
        }
    }

    /// Describes `payload`; nil when empty. Audio has no key frames: every packet decodes on its
    /// own, so `isKeyFrame` is false and only `isDtx` is meaningful.
    public static func describe(payload: ByteBuffer) -> CodecPayloadDescription? {
        guard payload.readableBytes > 0 else { return nil }
        return CodecPayloadDescription(isKeyFrame: false, isDtx: isDtx(payload: payload))
    }
}
