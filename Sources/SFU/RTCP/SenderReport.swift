import NIOCore

/// RTCP sender report, SR (RFC 3550 §6.4.1): the sender's wallclock/RTP clock pair and send
/// counters, plus reception report blocks.
///
/// Profile-specific extensions after the report blocks are ignored when parsing and not
/// written.
public struct SenderReport: Sendable, Equatable {
    /// SSRC of the sender.
    public var ssrc: UInt32
    /// NTP timestamp, integer seconds since 1900.
    public var ntpSeconds: UInt32
    /// NTP timestamp, fraction of a second in 1/2^32 units.
    public var ntpFraction: UInt32
    /// The RTP timestamp corresponding to the NTP timestamp (same instant, media clock).
    public var rtpTimestamp: UInt32
    /// Packets sent since the stream started (wraps).
    public var packetCount: UInt32
    /// Payload octets sent since the stream started (wraps).
    public var octetCount: UInt32
    /// At most 31 blocks (the 5-bit report count).
    public var reportBlocks: [ReportBlock]

    public init(
        ssrc: UInt32,
        ntpSeconds: UInt32,
        ntpFraction: UInt32,
        rtpTimestamp: UInt32,
        packetCount: UInt32,
        octetCount: UInt32,
        reportBlocks: [ReportBlock] = []
    ) {
        self.ssrc = ssrc
        self.ntpSeconds = ntpSeconds
        self.ntpFraction = ntpFraction
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
    }

    /// The 64-bit NTP timestamp (seconds in the high half).
    public var ntpTimestamp: UInt64 {
        get { UInt64(ntpSeconds) << 32 | UInt64(ntpFraction) }
        set {
            ntpSeconds = UInt32(truncatingIfNeeded: newValue >> 32)
            ntpFraction = UInt32(truncatingIfNeeded: newValue)
        }
    }

    /// The "middle 32 bits" of the NTP timestamp, which receivers echo as LSR.
    public var compactNtpTimestamp: UInt32 {
        UInt32(truncatingIfNeeded: ntpTimestamp >> 16)
    }

    init(header: RtcpHeader, reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        try reader.require(24 + ReportBlock.length * Int(header.count))
        ssrc = try reader.readUInt32()
        ntpSeconds = try reader.readUInt32()
        ntpFraction = try reader.readUInt32()
        rtpTimestamp = try reader.readUInt32()
        packetCount = try reader.readUInt32()
        octetCount = try reader.readUInt32()
        reportBlocks = []
        reportBlocks.reserveCapacity(Int(header.count))
        for _ in 0..<header.count {
            reportBlocks.append(try ReportBlock(reading: &reader))
        }
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        try RtcpPacketWriter.write(count: reportBlocks.count, packetType: RtcpPacketType.senderReport, to: &buffer) { body in
            body.writeInteger(ssrc)
            body.writeInteger(ntpSeconds)
            body.writeInteger(ntpFraction)
            body.writeInteger(rtpTimestamp)
            body.writeInteger(packetCount)
            body.writeInteger(octetCount)
            for block in reportBlocks { block.write(to: &body) }
        }
    }
}
