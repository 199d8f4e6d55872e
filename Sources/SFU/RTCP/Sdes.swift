import NIOCore

/// RTCP source description, SDES (RFC 3550 §6.5): per-source chunks of items, of which CNAME
/// (the canonical endpoint name that ties a participant's streams together) is the one WebRTC
/// uses.
///
/// Each chunk on the wire: SSRC/CSRC, items (`type(8) length(8) text`), a null END byte, then
/// zero bytes to the next 32-bit boundary.
public struct Sdes: Sendable, Equatable {
    /// SDES item types (RFC 3550 §12.2).
    public struct ItemType: RawRepresentable, Sendable, Equatable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let cname = ItemType(rawValue: 1)
        public static let name = ItemType(rawValue: 2)
        public static let email = ItemType(rawValue: 3)
        public static let phone = ItemType(rawValue: 4)
        public static let location = ItemType(rawValue: 5)
        public static let tool = ItemType(rawValue: 6)
        public static let note = ItemType(rawValue: 7)
        public static let privateExtension = ItemType(rawValue: 8)
    }

    /// One SDES item. The value is kept as bytes so unknown or non-UTF-8 items pass through
    /// unchanged.
    public struct Item: Sendable, Equatable {
        /// The longest value an item's one-byte length can announce.
        public static let maximumTextLength = 255

        /// Never 0 (0 is the END marker).
        public var type: ItemType
        /// At most ``maximumTextLength`` bytes.
        public var value: [UInt8]

        public init(type: ItemType, value: [UInt8]) {
            self.type = type
            self.value = value
        }

        public init(type: ItemType, text: String) {
            self.init(type: type, value: Array(text.utf8))
        }

        /// The value decoded as UTF-8 (invalid sequences become U+FFFD).
        public var text: String { String(decoding: value, as: UTF8.self) }
    }

    /// The items describing one source.
    public struct Chunk: Sendable, Equatable {
        public var ssrc: UInt32
        public var items: [Item]

        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        /// A chunk with just a CNAME, which is what WebRTC endpoints send.
        public init(ssrc: UInt32, cname: String) {
            self.init(ssrc: ssrc, items: [Item(type: .cname, text: cname)])
        }

        /// The first CNAME item's text.
        public var cname: String? {
            items.first(where: { $0.type == .cname })?.text
        }
    }

    /// At most 31 chunks (the 5-bit source count).
    public var chunks: [Chunk]

    public init(chunks: [Chunk]) {
        self.chunks = chunks
    }

    /// The CNAME of `ssrc`, if a chunk for it carries one.
    public func cname(ssrc: UInt32) -> String? {
        chunks.first(where: { $0.ssrc == ssrc })?.cname
    }

    init(header: RtcpHeader, reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        chunks = []
        chunks.reserveCapacity(Int(header.count))
        for _ in 0..<header.count {
            let chunkStart = reader.consumed
            let ssrc = try reader.readUInt32()
            var items: [Item] = []
            while true {
                let type = try reader.readUInt8()
                if type == 0 { break }
                let length = try reader.readUInt8()
                items.append(Item(type: ItemType(rawValue: type), value: try reader.readBytes(length: Int(length))))
            }
            // Skip the zero bytes that align the next chunk; the END byte already counted.
            let used = reader.consumed - chunkStart
            let alignment = (4 - used % 4) % 4
            try reader.skip(min(alignment, reader.remaining))
            chunks.append(Chunk(ssrc: ssrc, items: items))
        }
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        try RtcpPacketWriter.write(count: chunks.count, packetType: RtcpPacketType.sourceDescription, to: &buffer) {
            (body: inout ByteBuffer) throws(RtcpPacketError) in
            for chunk in chunks {
                let chunkStart = body.writerIndex
                body.writeInteger(chunk.ssrc)
                for item in chunk.items {
                    guard item.type.rawValue != 0 else {
                        throw .cannotSerialize(reason: "SDES item type 0 is the END marker")
                    }
                    guard item.value.count <= Item.maximumTextLength else {
                        throw .cannotSerialize(
                            reason: "SDES item of \(item.value.count) bytes exceeds \(Item.maximumTextLength)")
                    }
                    body.writeInteger(item.type.rawValue)
                    body.writeInteger(UInt8(item.value.count))
                    body.writeBytes(item.value)
                }
                // END item, then alignment: at least one zero byte, up to the 32-bit boundary.
                let used = body.writerIndex - chunkStart + 1
                body.writeRepeatingByte(0, count: 1 + (4 - used % 4) % 4)
            }
        }
    }
}
