/// Why bytes could not be read as RTCP, or why an RTCP packet cannot be written.
///
/// Parsing never traps: malformed input maps to one of these cases and the caller drops the
/// datagram (and counts it).
public enum RtcpPacketError: Error, Equatable, Sendable {
    /// Fewer than the 4 bytes of a common header remain.
    case truncatedHeader(available: Int)
    /// The version field is not 2.
    case unsupportedVersion(UInt8)
    /// The header's length field reaches past the end of the datagram.
    case lengthExceedsBuffer(declared: Int, available: Int)
    /// The P bit is set but the padding count is zero or larger than the packet body.
    case invalidPadding(paddingLength: Int, bodyLength: Int)
    /// A packet body ends before a field it announces.
    case truncatedBody(packetType: UInt8, needed: Int, available: Int)
    /// A packet body is inconsistent (a wrong FCI size, a reserved status symbol...).
    case malformed(packetType: UInt8, reason: String)
    /// A packet cannot be written: a count beyond what its header field holds, a value outside
    /// its wire range...
    case cannotSerialize(reason: String)
}

extension RtcpPacketError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncatedHeader(let available):
            return "RTCP header needs 4 bytes, \(available) remain"
        case .unsupportedVersion(let version):
            return "RTCP version \(version) is not supported, only version 2"
        case .lengthExceedsBuffer(let declared, let available):
            return "RTCP packet declares \(declared) bytes but only \(available) remain"
        case .invalidPadding(let padding, let body):
            return "RTCP padding length \(padding) is invalid for a \(body)-byte body"
        case .truncatedBody(let type, let needed, let available):
            return "RTCP packet type \(type) needs \(needed) bytes, its body has \(available)"
        case .malformed(let type, let reason):
            return "RTCP packet type \(type) is malformed: \(reason)"
        case .cannotSerialize(let reason):
            return "RTCP packet cannot be written: \(reason)"
        }
    }
}
