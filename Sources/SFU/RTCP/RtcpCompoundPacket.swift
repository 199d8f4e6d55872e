import NIOCore

/// A compound RTCP packet (RFC 3550 §6.1): several RTCP packets back to back in one datagram.
///
/// Parsing walks the headers, checking each one (version 2, length within the datagram,
/// padding within the packet) and decoding the bodies; any inconsistency fails the whole
/// datagram with a typed error, since a framing error makes every later packet unreliable.
/// The RFC 3550 rule "first packet is SR or RR" is not enforced: reduced-size RTCP (RFC 5506),
/// which WebRTC negotiates, sends feedback packets alone.
public struct RtcpCompoundPacket: Sendable, Equatable {
    public var packets: [RtcpPacket]

    public init(_ packets: [RtcpPacket] = []) {
        self.packets = packets
    }

    /// Parses every packet in `buffer`'s readable bytes.
    public init(parsing buffer: ByteBuffer) throws(RtcpPacketError) {
        var remaining = buffer
        var packets: [RtcpPacket] = []
        while remaining.readableBytes > 0 {
            let header = try RtcpHeader(parsing: remaining)
            var bodyLength = header.packetLength - RtcpHeader.length
            if header.hasPadding {
                let padding = bodyLength > 0
                    ? Int(remaining.getInteger(at: remaining.readerIndex + header.packetLength - 1, as: UInt8.self) ?? 0)
                    : 0
                guard padding > 0, padding <= bodyLength else {
                    throw .invalidPadding(paddingLength: padding, bodyLength: bodyLength)
                }
                bodyLength -= padding
            }
            let body = remaining.getSlice(at: remaining.readerIndex + RtcpHeader.length, length: bodyLength) ?? ByteBuffer()
            packets.append(try RtcpPacket(header: header, body: body))
            remaining.moveReaderIndex(forwardBy: header.packetLength)
        }
        self.packets = packets
    }

    public mutating func append(_ packet: RtcpPacket) {
        packets.append(packet)
    }

    /// Appends every packet's wire form to `buffer`. On error nothing is appended.
    public func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        let start = buffer.writerIndex
        do {
            for packet in packets { try packet.write(to: &buffer) }
        } catch {
            buffer.moveWriterIndex(to: start)
            throw error
        }
    }

    /// The compound packet's wire form in a new buffer.
    public func serialized() throws(RtcpPacketError) -> ByteBuffer {
        var buffer = ByteBuffer()
        try write(to: &buffer)
        return buffer
    }
}
