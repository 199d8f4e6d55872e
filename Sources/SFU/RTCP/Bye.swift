import NIOCore

/// RTCP goodbye, BYE (RFC 3550 §6.6): the listed sources are leaving, optionally with a reason.
public struct Bye: Sendable, Equatable {
    /// At most 31 sources (the 5-bit source count).
    public var ssrcs: [UInt32]
    /// Reason for leaving, at most 255 UTF-8 bytes.
    public var reason: String?

    public init(ssrcs: [UInt32], reason: String? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }

    init(header: RtcpHeader, reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        try reader.require(4 * Int(header.count))
        ssrcs = []
        ssrcs.reserveCapacity(Int(header.count))
        for _ in 0..<header.count {
            ssrcs.append(try reader.readUInt32())
        }
        reason = nil
        if reader.remaining > 0 {
            let length = try reader.readUInt8()
            reason = String(decoding: try reader.readBytes(length: Int(length)), as: UTF8.self)
        }
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        try RtcpPacketWriter.write(count: ssrcs.count, packetType: RtcpPacketType.goodbye, to: &buffer) {
            (body: inout ByteBuffer) throws(RtcpPacketError) in
            for ssrc in ssrcs { body.writeInteger(ssrc) }
            if let reason {
                let bytes = Array(reason.utf8)
                guard bytes.count <= 255 else {
                    throw .cannotSerialize(reason: "BYE reason of \(bytes.count) bytes exceeds 255")
                }
                body.writeInteger(UInt8(bytes.count))
                body.writeBytes(bytes)
            }
        }
    }
}
