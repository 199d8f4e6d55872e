import NIOCore

/// Entry point for codec payload inspection: dispatches on the codec to the per-codec
/// inspectors (``Vp8PayloadDescriptor``, ``Vp9PayloadDescriptor``, ``H264PayloadInspector``,
/// ``OpusPayloadInspector``).
///
/// Resolve the ``Codec`` once per stream (from the codec's `mimeType`) and use the
/// `codec:` overloads on the hot path; the `mimeType:` overloads compare strings every call.
public enum CodecPayloadInspector {
    /// The codecs whose payloads can be inspected.
    public enum Codec: Sendable, Equatable, Hashable {
        case vp8
        case vp9
        case h264
        case opus

        /// Matches a mediasoup `mimeType` case-insensitively ("video/VP8", "video/h264",
        /// "video/H264-SVC", "audio/opus", "audio/multiopus"); nil for codecs with nothing to
        /// inspect (PCMU, RTX...).
        public init?(mimeType: String) {
            let utf8 = mimeType.utf8
            if Self.equalsIgnoringCase(utf8, "video/vp8") {
                self = .vp8
            } else if Self.equalsIgnoringCase(utf8, "video/vp9") {
                self = .vp9
            } else if Self.equalsIgnoringCase(utf8, "video/h264") || Self.equalsIgnoringCase(utf8, "video/h264-svc") {
                self = .h264
            } else if Self.equalsIgnoringCase(utf8, "audio/opus") || Self.equalsIgnoringCase(utf8, "audio/multiopus") {
                self = .opus
            } else {
                return nil
            }
        }

        /// ASCII case-insensitive comparison without allocating lowercased copies.
        private static func equalsIgnoringCase(_ candidate: String.UTF8View, _ lowercased: StaticString) -> Bool {
            guard candidate.count == lowercased.utf8CodeUnitCount else { return false }
            return lowercased.withUTF8Buffer { expected in
                zip(candidate, expected).allSatisfy { actual, wanted in
                    let folded = (65...90).contains(actual) ? actual | 0x20 : actual
                    return folded == wanted
                }
            }
        }
    }

    /// Describes `payload` (the RTP payload, without padding); nil when the payload is malformed
    /// or too short for the codec's payload format.
    public static func describe(payload: ByteBuffer, codec: Codec) -> CodecPayloadDescription? {
        switch codec {
        case .vp8: return Vp8PayloadDescriptor(payload: payload)?.payloadDescription
        case .vp9: return Vp9PayloadDescriptor(payload: payload)?.payloadDescription
        case .h264: return H264PayloadInspector.describe(payload: payload)
        case .opus: return OpusPayloadInspector.describe(payload: payload)
        }
    }

    /// Describes `payload` for the codec named by `mimeType`; nil for codecs without inspection
    /// or malformed payloads.
    public static func describe(payload: ByteBuffer, mimeType: String) -> CodecPayloadDescription? {
        guard let codec = Codec(mimeType: mimeType) else { return nil }
        return describe(payload: payload, codec: codec)
    }

    /// Whether `payload` starts (or belongs to the start of) a key frame. False for audio, for
    /// codecs without inspection and for malformed payloads.
    public static func isKeyFrame(payload: ByteBuffer, codec: Codec) -> Bool {
        describe(payload: payload, codec: codec)?.isKeyFrame ?? false
    }

    /// Whether `payload` starts a key frame, for the codec named by `mimeType`.
    public static func isKeyFrame(payload: ByteBuffer, mimeType: String) -> Bool {
        describe(payload: payload, mimeType: mimeType)?.isKeyFrame ?? false
    }
}
