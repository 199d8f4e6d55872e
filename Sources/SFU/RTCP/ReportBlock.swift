import NIOCore

/// A reception report block (RFC 3550 §6.4.1), carried by sender and receiver reports: how
/// well one source is being received.
///
/// ```
/// | SSRC of source (32) |
/// | fraction lost (8) | cumulative number of packets lost (24, signed) |
/// | extended highest sequence number received (32) |
/// | interarrival jitter (32) |
/// | last SR (LSR, 32) |
/// | delay since last SR (DLSR, 32) |
/// ```
public struct ReportBlock: Sendable, Equatable, Hashable {
    public static let length = 24

    /// The source this block reports on.
    public var ssrc: UInt32
    /// Fraction of packets lost since the previous report, in 1/256 units.
    public var fractionLost: UInt8
    /// Cumulative packets lost, a 24-bit signed value on the wire (duplicates can make it
    /// negative). Written values are clamped to -8388608...8388607.
    public var totalLost: Int32
    /// Extended highest sequence number received (cycles in the high 16 bits).
    public var highestSequenceNumber: UInt32
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    /// Middle 32 bits of the NTP timestamp of the last SR received from the source (LSR).
    public var lastSenderReport: UInt32
    /// Delay since that SR in 1/65536 s units (DLSR).
    public var delaySinceLastSenderReport: UInt32

    public init(
        ssrc: UInt32,
        fractionLost: UInt8 = 0,
        totalLost: Int32 = 0,
        highestSequenceNumber: UInt32 = 0,
        jitter: UInt32 = 0,
        lastSenderReport: UInt32 = 0,
        delaySinceLastSenderReport: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.totalLost = totalLost
        self.highestSequenceNumber = highestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    static let totalLostRange: ClosedRange<Int32> = -0x80_0000...0x7F_FFFF

    init(reading reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        ssrc = try reader.readUInt32()
        fractionLost = try reader.readUInt8()
        let rawLost = try reader.readUInt24()
        // Sign-extend the 24-bit two's complement value.
        totalLost = Int32(bitPattern: rawLost << 8) >> 8
        highestSequenceNumber = try reader.readUInt32()
        jitter = try reader.readUInt32()
        lastSenderReport = try reader.readUInt32()
        delaySinceLastSenderReport = try reader.readUInt32()
    }

    func write(to buffer: inout ByteBuffer) {
        let lost = min(max(totalLost, Self.totalLostRange.lowerBound), Self.totalLostRange.upperBound)
        let rawLost = UInt32(bitPattern: lost) & 0xFF_FFFF
        buffer.writeInteger(ssrc)
        buffer.writeInteger(UInt32(fractionLost) << 24 | rawLost)
        buffer.writeInteger(highestSequenceNumber)
        buffer.writeInteger(jitter)
        buffer.writeInteger(lastSenderReport)
        buffer.writeInteger(delaySinceLastSenderReport)
    }
}
