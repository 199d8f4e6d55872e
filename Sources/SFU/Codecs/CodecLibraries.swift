import COpus
import CVPX

/// The codec libraries linked into the server (libopus, libvpx): their versions, and checks
/// that they can do what the server and its synthetic media rely on.
///
/// The SFU forwards media without decoding it; the libraries serve the synthetic sources and
/// checkers, and these checks prove at startup that a codec is usable with given settings.
public enum CodecLibraries {
    /// Version strings, as `/config` shows them.
    public struct Versions: Sendable, Hashable, Codable {
        /// `opus_get_version_string()`, e.g. "libopus 1.3.1".
        public var opus: String
        /// `vpx_codec_version_str()`, e.g. "v1.12.0".
        public var vpx: String
    }

    /// A libvpx codec interface.
    public enum VpxInterface: Sendable, Hashable, CaseIterable {
        case vp8Encoder
        case vp8Decoder
        case vp9Encoder
        case vp9Decoder

        /// The capability the interface must report to be usable at all.
        var requiredCapability: VpxCapabilities { isEncoder ? .encoder : .decoder }

        var isEncoder: Bool { self == .vp8Encoder || self == .vp9Encoder }

        var pointer: OpaquePointer {
            switch self {
            case .vp8Encoder: return vpx_codec_vp8_cx()
            case .vp8Decoder: return vpx_codec_vp8_dx()
            case .vp9Encoder: return vpx_codec_vp9_cx()
            case .vp9Decoder: return vpx_codec_vp9_dx()
            }
        }

        /// libvpx's name for it, e.g. "WebM Project VP8 Encoder v1.12.0".
        public var name: String { String(cString: vpx_codec_iface_name(pointer)) }

        /// What `vpx_codec_get_caps` reports.
        public var capabilities: VpxCapabilities { VpxCapabilities(rawValue: Int(vpx_codec_get_caps(pointer))) }
    }

    /// `VPX_CODEC_CAP_*` flags.
    public struct VpxCapabilities: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let decoder = VpxCapabilities(rawValue: Int(VPX_CODEC_CAP_DECODER))
        public static let encoder = VpxCapabilities(rawValue: Int(VPX_CODEC_CAP_ENCODER))
    }

    public static var versions: Versions {
        Versions(opus: String(cString: opus_get_version_string()), vpx: String(cString: vpx_codec_version_str()))
    }

    /// Creates (and frees at once) an Opus encoder and decoder with `sampleRate` and
    /// `channels`; throws libopus' refusal, e.g. "invalid argument" for 44100 Hz.
    public static func verifyOpus(sampleRate: Int = 48_000, channels: Int) throws(CodecLibraryError) {
        _ = try OpusAudioEncoder(sampleRate: sampleRate, channels: channels)
        _ = try OpusAudioDecoder(sampleRate: sampleRate, channels: channels)
    }

    /// Throws when `interface` does not report the encoder or decoder capability its role needs.
    public static func verifyVpx(_ interface: VpxInterface) throws(CodecLibraryError) {
        guard interface.capabilities.contains(interface.requiredCapability) else {
            throw .missingCapability(interface: interface.name, capability: interface.isEncoder ? "an encoder" : "a decoder")
        }
    }

    /// The library check for one codec as a producer announces it: Opus instantiates libopus
    /// with its clock rate and channels (nil means 1), VP8 and VP9 need libvpx's encoder and
    /// decoder; other codecs are forwarded without a library and pass.
    public static func verify(mimeType: String, clockRate: Int, channels: Int? = nil) throws(CodecLibraryError) {
        switch mimeType.lowercased() {
        case "audio/opus":
            try verifyOpus(sampleRate: clockRate, channels: channels ?? 1)
        case "video/vp8":
            try verifyVpx(.vp8Encoder)
            try verifyVpx(.vp8Decoder)
        case "video/vp9":
            try verifyVpx(.vp9Encoder)
            try verifyVpx(.vp9Decoder)
        default:
            break
        }
    }
}
