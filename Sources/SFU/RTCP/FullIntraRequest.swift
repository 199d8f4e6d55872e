import NIOCore

/// PSFB full intra request, FIR (RFC 5104 §4.3.1, FMT 4): a mandatory key frame request, one
/// FCI entry per target stream. The media SSRC field of the common header is unused (0).
///
/// Each FCI entry: `SSRC(32) | seq nr(8) | reserved(24)`. The sequence number increases with
/// every new request so the sender can tell a repeat from a new one.
public struct FullIntraRequest: Sendable, Equatable {
    public static let feedbackMessageType: UInt8 = 4

    public struct Entry: Sendable, Equatable, Hashable {
        public var ssrc: UInt32
        public var sequenceNumber: UInt8

        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    public var senderSsrc: UInt32
    /// Unused by FIR; 0 on write unless set.
    public var mediaSsrc: UInt32
    public var entries: [Entry]

    public init(senderSsrc: UInt32, mediaSsrc: UInt32 = 0, entries: [Entry]) {
        self.senderSsrc = senderSsrc
        self.mediaSsrc = mediaSsrc
        self.entries = entries
    }

    init(reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        senderSsrc = try reader.readUInt32()
        mediaSsrc = try reader.readUInt32()
        guard reader.remaining % 8 == 0 else {
            throw reader.malformed("FIR FCI length \(reader.remaining) is not a multiple of 8")
        }
        entries = []
        entries.reserveCapacity(reader.remaining / 8)
        while reader.remaining > 0 {
            let ssrc = try reader.readUInt32()
            let sequenceNumber = try reader.readUInt8()
            try reader.skip(3)
            entries.append(Entry(ssrc: ssrc, sequenceNumber: sequenceNumber))
        }
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        try RtcpPacketWriter.write(
            count: Int(Self.feedbackMessageType), packetType: RtcpPacketType.payloadSpecificFeedback, to: &buffer
        ) { body in
            body.writeInteger(senderSsrc)
            body.writeInteger(mediaSsrc)
            for entry in entries {
                body.writeInteger(entry.ssrc)
                body.writeInteger(entry.sequenceNumber)
                body.writeRepeatingByte(0, count: 3)
            }
        }
    }
}
