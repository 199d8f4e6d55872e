import NIOCore

/// RTCP receiver report, RR (RFC 3550 §6.4.2): reception report blocks from a participant that
/// does not send media (or reports beyond the 31 an SR holds).
///
/// Profile-specific extensions after the report blocks are ignored when parsing and not
/// written.
public struct ReceiverReport: Sendable, Equatable {
    /// SSRC of the reporter.
    public var ssrc: UInt32
    /// At most 31 blocks (the 5-bit report count).
    public var reportBlocks: [ReportBlock]

    public init(ssrc: UInt32, reportBlocks: [ReportBlock] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
    }

    init(header: RtcpHeader, reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        try reader.require(4 + ReportBlock.length * Int(header.count))
        ssrc = try reader.readUInt32()
        reportBlocks = []
        reportBlocks.reserveCapacity(Int(header.count))
        for _ in 0..<header.count {
            reportBlocks.append(try ReportBlock(reading: &reader))
        }
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        try RtcpPacketWriter.write(count: reportBlocks.count, packetType: RtcpPacketType.receiverReport, to: &buffer) { body in
            body.writeInteger(ssrc)
            for block in reportBlocks { block.write(to: &body) }
        }
    }
}
