import NIOCore

/// Key frame detection for H264 RTP payloads (RFC 6184), packetization modes 0 and 1 as WebRTC
/// uses them: single NAL unit packets, STAP-A aggregates and FU-A fragments.
///
/// Key frame rule: the payload carries (the start of) an IDR slice (NAL type 5) or a sequence
/// parameter set (type 7). Senders put SPS/PPS in front of every IDR, so either marks the
/// point where a decoder can start; for FU-A only the fragment with the start bit counts, the
/// later fragments of the same NAL unit are not a new decoding point.
///
/// H264 payloads carry no layer indices (mediasoup takes those from the frame-marking header
/// extension), so only ``CodecPayloadDescription/isKeyFrame`` is set.
public enum H264PayloadInspector {
    /// NAL unit types this inspector cares about (RFC 6184 §5.2, ITU-T H.264 Table 7-1).
    public enum NalUnitType {
        public static let idrSlice: UInt8 = 5
        public static let sequenceParameterSet: UInt8 = 7
        public static let pictureParameterSet: UInt8 = 8
        public static let stapA: UInt8 = 24
        public static let fuA: UInt8 = 28
    }

    /// Describes `payload`; nil when it is empty, uses a reserved NAL type (0, 30, 31), or is a
    /// truncated STAP-A / FU-A.
    public static func describe(payload: ByteBuffer) -> CodecPayloadDescription? {
        let start = payload.readerIndex
        let end = payload.writerIndex
        guard let header = payload.getInteger(at: start, as: UInt8.self) else { return nil }
        let type = header & 0x1F

        switch type {
        case 1...23:
            return CodecPayloadDescription(isKeyFrame: startsDecoding(type))

        case NalUnitType.stapA:
            var offset = start + 1
            var isKeyFrame = false
            var unitCount = 0
            while offset < end {
                guard let size = payload.getInteger(at: offset, as: UInt16.self), size > 0,
                    offset + 2 + Int(size) <= end,
                    let unitHeader = payload.getInteger(at: offset + 2, as: UInt8.self)
                else { return nil }
                if startsDecoding(unitHeader & 0x1F) { isKeyFrame = true }
                unitCount += 1
                offset += 2 + Int(size)
            }
            guard unitCount > 0 else { return nil }
            return CodecPayloadDescription(isKeyFrame: isKeyFrame)

        case NalUnitType.fuA:
            guard let fuHeader = payload.getInteger(at: start + 1, as: UInt8.self) else { return nil }
            let isStart = fuHeader & 0x80 != 0
            return CodecPayloadDescription(isKeyFrame: isStart && startsDecoding(fuHeader & 0x1F))

        case 25, 26, 27, 29:
            // STAP-B, MTAP16, MTAP24, FU-B: interleaved mode only, which WebRTC never negotiates.
            return CodecPayloadDescription(isKeyFrame: false)

        default:
            return nil
        }
    }

    /// Whether `payload` starts a key frame (see the type's rule).
    public static func isKeyFrame(payload: ByteBuffer) -> Bool {
        describe(payload: payload)?.isKeyFrame ?? false
    }

    private static func startsDecoding(_ type: UInt8) -> Bool {
        type == NalUnitType.idrSlice || type == NalUnitType.sequenceParameterSet
    }
}
