import NIOCore

/// PSFB receiver estimated maximum bitrate, REMB (draft-alvestrand-rmcat-remb-03; application
/// layer feedback, FMT 15, identifier "REMB"): the receiver's bandwidth estimate for the listed
/// streams.
///
/// ```
/// | sender SSRC | media SSRC = 0 | 'R' 'E' 'M' 'B' |
/// | num SSRC (8) | BR exp (6) | BR mantissa (18) |
/// | SSRC feedback ... |
/// ```
/// bitrate = mantissa × 2^exp bits per second.
public struct Remb: Sendable, Equatable {
    public static let feedbackMessageType: UInt8 = 15
    /// "REMB" in ASCII.
    static let identifier: UInt32 = 0x5245_4D42

    public var senderSsrc: UInt32
    /// Estimated maximum bitrate in bits per second. Written as mantissa × 2^exp, which keeps
    /// the top 18 significant bits (values are rounded down).
    public var bitrate: UInt64
    /// The streams the estimate applies to (at most 255).
    public var ssrcs: [UInt32]

    public init(senderSsrc: UInt32, bitrate: UInt64, ssrcs: [UInt32]) {
        self.senderSsrc = senderSsrc
        self.bitrate = bitrate
        self.ssrcs = ssrcs
    }

    /// Whether a PSFB FMT 15 body (after the two SSRCs) starts with the REMB identifier.
    static func isRemb(body: ByteBuffer) -> Bool {
        body.getInteger(at: body.readerIndex + 8, as: UInt32.self) == identifier
    }

    init(reader: inout RtcpBodyReader) throws(RtcpPacketError) {
        senderSsrc = try reader.readUInt32()
        _ = try reader.readUInt32()
        guard try reader.readUInt32() == Self.identifier else { throw reader.malformed("missing REMB identifier") }
        let count = try reader.readUInt8()
        let exponentAndMantissa = try reader.readUInt24()
        let exponent = UInt64(exponentAndMantissa >> 18)
        let mantissa = UInt64(exponentAndMantissa & 0x3_FFFF)
        // An 18-bit mantissa shifted by up to 63 can exceed 64 bits; such a bitrate is nonsense.
        guard mantissa == 0 || mantissa.leadingZeroBitCount >= exponent else {
            throw reader.malformed("REMB bitrate \(mantissa)×2^\(exponent) overflows 64 bits")
        }
        bitrate = mantissa << exponent
        try reader.require(4 * Int(count))
        ssrcs = []
        ssrcs.reserveCapacity(Int(count))
        for _ in 0..<count {
            ssrcs.append(try reader.readUInt32())
        }
    }

    /// The wire encoding of ``bitrate``: the smallest exponent whose mantissa fits 18 bits.
    var exponentAndMantissa: (exponent: UInt8, mantissa: UInt32) {
        var exponent: UInt8 = 0
        var mantissa = bitrate
        while mantissa > 0x3_FFFF {
            mantissa >>= 1
            exponent += 1
        }
        return (exponent, UInt32(mantissa))
    }

    func write(to buffer: inout ByteBuffer) throws(RtcpPacketError) {
        guard ssrcs.count <= 255 else {
            throw .cannotSerialize(reason: "REMB lists \(ssrcs.count) SSRCs, at most 255 fit")
        }
        let (exponent, mantissa) = exponentAndMantissa
        try RtcpPacketWriter.write(
            count: Int(Self.feedbackMessageType), packetType: RtcpPacketType.payloadSpecificFeedback, to: &buffer
        ) { body in
            body.writeInteger(senderSsrc)
            body.writeInteger(UInt32(0))
            body.writeInteger(Self.identifier)
            body.writeInteger(UInt8(ssrcs.count))
            body.writeInteger(UInt8(exponent << 2) | UInt8(mantissa >> 16))
            body.writeInteger(UInt16(truncatingIfNeeded: mantissa))
            for ssrc in ssrcs { body.writeInteger(ssrc) }
        }
    }
}
