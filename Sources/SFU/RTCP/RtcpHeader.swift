import NIOCore

/// RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611).
public enum RtcpPacketType {
    public static let senderReport: UInt8 = 200
    public static let receiverReport: UInt8 = 201
    public static let sourceDescription: UInt8 = 202
    public static let goodbye: UInt8 = 203
    public static let applicationDefined: UInt8 = 204
    /// Transport layer feedback (RTPFB): generic NACK, transport-wide CC...
    public static let transportLayerFeedback: UInt8 = 205
    /// Payload-specific feedback (PSFB): PLI, FIR, REMB...
    public static let payloadSpecificFeedback: UInt8 = 206
    public static let extendedReport: UInt8 = 207
}

/// The 4-byte header every RTCP packet starts with:
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  count  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// `count` is the report count (SR/RR), source count (SDES/BYE), subtype (APP) or feedback
/// message type FMT (RTPFB/PSFB). `length` is the packet size in 32-bit words minus one.
public struct RtcpHeader: Sendable, Equatable {
    public static let length = 4

    /// The P bit: the packet ends with padding whose last byte is the padding count.
    public var hasPadding: Bool
    /// The 5-bit count / subtype / FMT field.
    public var count: UInt8
    public var packetType: UInt8
    /// Packet length in 32-bit words minus one, as on the wire.
    public var lengthInWordsMinusOne: UInt16

    public init(hasPadding: Bool = false, count: UInt8, packetType: UInt8, lengthInWordsMinusOne: UInt16) {
        self.hasPadding = hasPadding
        self.count = count & 0x1F
        self.packetType = packetType
        self.lengthInWordsMinusOne = lengthInWordsMinusOne
    }

    /// Total packet size in bytes, header included.
    public var packetLength: Int { (Int(lengthInWordsMinusOne) + 1) * 4 }

    /// Reads and validates a header at the start of `buffer`'s readable bytes, checking that the
    /// packet it announces fits in them.
    public init(parsing buffer: ByteBuffer) throws(RtcpPacketError) {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= Self.length,
            let first = buffer.getInteger(at: start, as: UInt8.self),
            let type = buffer.getInteger(at: start + 1, as: UInt8.self),
            let words = buffer.getInteger(at: start + 2, as: UInt16.self)
        else { throw .truncatedHeader(available: buffer.readableBytes) }
        let version = first >> 6
        guard version == 2 else { throw .unsupportedVersion(version) }
        self.init(hasPadding: first & 0x20 != 0, count: first & 0x1F, packetType: type, lengthInWordsMinusOne: words)
        guard packetLength <= buffer.readableBytes else {
            throw .lengthExceedsBuffer(declared: packetLength, available: buffer.readableBytes)
        }
    }

    /// Writes the header.
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0x80 | (hasPadding ? 0x20 : 0) | (count & 0x1F)))
        buffer.writeInteger(packetType)
        buffer.writeInteger(lengthInWordsMinusOne)
    }

    /// True when `buffer` looks like RTCP rather than RTP on a multiplexed port (RFC 5761 §4):
    /// version 2 and a packet type in 192–223. A demultiplexing hint, not validation.
    public static func looksLikeRtcp(_ buffer: ByteBuffer) -> Bool {
        guard buffer.readableBytes >= length,
            let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let type = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self)
        else { return false }
        return first >> 6 == 2 && (192...223).contains(type)
    }
}
