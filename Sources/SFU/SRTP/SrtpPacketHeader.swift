/// The few header fields SRTP needs, read straight from packet memory (big-endian, unaligned).
///
/// Deliberately independent of `RtpPacket`: the SRTP layer runs before any parsing and must
/// not cost more than these loads.
enum SrtpPacketHeader {
    static let rtpFixedLength = 12
    /// RTCP common header plus sender SSRC: the part SRTCP leaves in clear.
    static let rtcpClearLength = 8

    /// Length of the RTP header (fixed part, CSRCs, header extension), or nil when the packet
    /// is shorter than its header claims.
    @inline(__always)
    static func rtpHeaderLength(_ packet: UnsafeRawPointer, length: Int) -> Int? {
        guard length >= rtpFixedLength else { return nil }
        let first = packet.load(as: UInt8.self)
        var headerLength = rtpFixedLength + 4 * Int(first & 0x0F)
        if first & 0x10 != 0 {
            guard length >= headerLength + 4 else { return nil }
            headerLength += 4 + 4 * Int(readUInt16(packet, at: headerLength + 2))
        }
        return headerLength <= length ? headerLength : nil
    }

    @inline(__always)
    static func readUInt16(_ packet: UnsafeRawPointer, at offset: Int) -> UInt16 {
        UInt16(bigEndian: packet.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    static func readUInt32(_ packet: UnsafeRawPointer, at offset: Int) -> UInt32 {
        UInt32(bigEndian: packet.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    static func writeUInt32(_ value: UInt32, to packet: UnsafeMutableRawPointer, at offset: Int) {
        packet.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
    }

    @inline(__always)
    static func writeUInt64(_ value: UInt64, to packet: UnsafeMutableRawPointer, at offset: Int) {
        packet.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
    }
}
