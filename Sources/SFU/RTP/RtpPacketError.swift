/// Why a byte buffer could not be read as an RTP packet, or why a requested rewrite of a packet
/// is impossible.
///
/// Parsing never traps: every malformed input maps to one of these cases, and the packet that
/// produced it is left unchanged.
public enum RtpPacketError: Error, Equatable, Sendable {
    /// Fewer bytes than the 12-byte fixed header.
    case tooShort(length: Int)
    /// The version field is not 2.
    case unsupportedVersion(UInt8)
    /// The CSRC count announces more identifiers than the packet holds.
    case truncatedCsrcList(csrcCount: Int, length: Int)
    /// The header extension (its 4-byte header or its announced body) runs past the packet end.
    case truncatedHeaderExtension(declaredLength: Int, available: Int)
    /// The P bit is set but the padding count is zero or larger than what follows the header.
    case invalidPadding(paddingLength: Int, available: Int)
    /// Header extension ids are 1–14 (one-byte form) or 1–255 (two-byte form); 0 is padding.
    case invalidHeaderExtensionId(UInt8)
    /// A header extension value longer than the 255 bytes the two-byte form can carry.
    case headerExtensionValueTooLong(id: UInt8, length: Int)
    /// The packet carries an RFC 3550 header extension whose profile is neither RFC 8285 form,
    /// so its elements cannot be addressed by id.
    case unsupportedHeaderExtensionProfile(UInt16)
    /// A re-laid extension block would exceed the 65535 words its 16-bit length field counts.
    case headerExtensionBlockTooLong(length: Int)
    /// More than the 15 CSRCs the 4-bit CSRC count can express.
    case tooManyCsrcs(Int)
    /// An RTX packet must carry at least the 2-byte original sequence number.
    case payloadTooShortForRtx(length: Int)
}

extension RtpPacketError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tooShort(let length):
            return "RTP packet too short: \(length) bytes, the fixed header needs 12"
        case .unsupportedVersion(let version):
            return "RTP version \(version) is not supported, only version 2"
        case .truncatedCsrcList(let count, let length):
            return "RTP CSRC count \(count) needs \(12 + 4 * count) bytes but the packet has \(length)"
        case .truncatedHeaderExtension(let declared, let available):
            return "RTP header extension declares \(declared) bytes but only \(available) remain"
        case .invalidPadding(let padding, let available):
            return "RTP padding length \(padding) is invalid with \(available) bytes after the header"
        case .invalidHeaderExtensionId(let id):
            return "RTP header extension id \(id) is not usable (0 is padding, one-byte ids are 1-14)"
        case .headerExtensionValueTooLong(let id, let length):
            return "RTP header extension id \(id) value of \(length) bytes exceeds the 255-byte maximum"
        case .unsupportedHeaderExtensionProfile(let profile):
            return "RTP header extension profile 0x\(String(profile, radix: 16)) is not an RFC 8285 form"
        case .headerExtensionBlockTooLong(let length):
            return "RTP header extension block of \(length) bytes exceeds the 65535-word maximum"
        case .tooManyCsrcs(let count):
            return "RTP packets carry at most 15 CSRCs, \(count) given"
        case .payloadTooShortForRtx(let length):
            return "RTX payload of \(length) bytes cannot hold the 2-byte original sequence number"
        }
    }
}
