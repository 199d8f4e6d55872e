import NIOCore

/// RTPFB generic NACK (RFC 4585 §6.2.1, FMT 1): the receiver lists RTP packets it lost so the
/// sender can retransmit them.
///
/// Each FCI item is a packet id (PID) plus a 16-bit bitmask of following lost packets (BLP):
/// bit i set means `PID + i + 1` is lost too. Sequence arithmetic wraps at 2^16.
public struct GenericNack: Sendable, Equatable {
    public static let feedbackMessageType: UInt8 = 1

    /// One FCI entry: a lost packet and a bitmask of the 16 after it.
    public struct Item: Sendable, Equatable, Hashable {
        public var packetId: UInt16
        public var lostPacketBitmask: UInt16

        public init(packetId: UInt16, lostPacketBitmask: UInt16 = 0) {
            self.packetId = packetId
            self.lostPacketBitmask = lostPacketBitmask
        }

        /// The lost sequence numbers this item covers, in order.
        public var sequenceNumbers: [UInt16] {
            var result = [packetId]
            for bit in 0..<16 where lostPacketBitmask & (1 << bit) != 0 {
                result.append(packetId &+ UInt16(bit + 1))
            }
            return result
        }
    }

    public var senderSsrc: UInt32
    public var mediaSsrc: UInt32
    public var items: [Item]

    public init(senderSsrc: UInt32, mediaSsrc: UInt32, items: [Item]) {
        self.senderSsrc = senderSsrc
        self.mediaSsrc = mediaSsrc
        self.items = items
    }

    /// Builds the fewest items covering `lostSequenceNumbers`, which must be in RTP order
    /// (ascending, wrapping at 2^16). Duplicates are ignored; an out-of-order number starts a
    /// new item, so the result is still correct, only longer.
    public init(senderSsrc: UInt32, mediaSsrc: UInt32, lostSequenceNumbers: some Sequence<UInt16>) {
        var items: [Item] = []
        for sequenceNumber in lostSequenceNumbers {
            if let last = items.last {
                let distance = sequenceNumber &- last.packetId
                if distance == 0 { continue }
                if distance <= 16 {
                    items[items.count - 1].lostPacketBitmask |= 1 << (distance - 1)
                    continue
                }
            }
            items.append(Item(packetId: sequenceNumber))
        }
        self.init(senderSsrc: senderSsrc, mediaSsrc: mediaSsrc, items: items)
    }

    /// Every sequence number reported lost, item by item.
    public var lostSequenceNumbers: [UInt16] {
        items.flatMap(\.sequenceNumbers)
    }

    init(reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        senderSsrc = try reader.readUInt32()
        mediaSsrc = try reader.readUInt32()
        guard reader.remaining % 4 == 0 else {
            throw reader.malformed("NACK FCI length \(reader.remaining) is not a multiple of 4")
        }
        items = []
        items.reserveCapacity(reader.remaining / 4)
        while reader.remaining > 0 {
            items.append(Item(packetId: try reader.readUInt16(), lostPacketBitmask: try reader.readUInt16()))
        }
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        try RtcpPacketWriter.write(
            count: Int(Self.feedbackMessageType), packetType: RtcpPacketType.transportLayerFeedback, to: &buffer
        ) { body in
            body.writeInteger(senderSsrc)
            body.writeInteger(mediaSsrc)
            for item in items {
                body.writeInteger(item.packetId)
                body.writeInteger(item.lostPacketBitmask)
            }
        }
    }
}
