import NIOCore

/// RFC 4588 retransmission payload format.
///
/// An RTX packet is the original packet sent on the RTX stream: its own SSRC, payload type
/// and sequence number, with the original sequence number (OSN) as the first two payload bytes.
/// Header extensions and the timestamp are kept. Padding is dropped both ways (mediasoup does
/// the same): it belongs to the transmission, not to the media being repaired.
extension RtpPacket {
    /// Turns this packet into its RTX form, in place. The payload grows by two bytes; the bytes
    /// move in place when the buffer has spare capacity.
    public mutating func rtxEncapsulate(payloadType: UInt8, ssrc: UInt32, sequenceNumber: UInt16) {
        let originalSequenceNumber = self.sequenceNumber
        removePadding()
        let payloadStart = buffer.readerIndex + payloadOffset
        let length = payloadLength
        buffer.writeInteger(UInt16(0))
        // Cannot fail: both ranges lie within the readable bytes after growing by two.
        _ = try? buffer.copyBytes(at: payloadStart, to: payloadStart + 2, length: length)
        buffer.setInteger(originalSequenceNumber, at: payloadStart)
        self.payloadType = payloadType
        self.ssrc = ssrc
        self.sequenceNumber = sequenceNumber
    }

    /// A copy of this packet in RTX form; this packet is unchanged.
    public func rtxEncapsulated(payloadType: UInt8, ssrc: UInt32, sequenceNumber: UInt16) -> RtpPacket {
        var copy = self
        copy.rtxEncapsulate(payloadType: payloadType, ssrc: ssrc, sequenceNumber: sequenceNumber)
        return copy
    }

    /// The original sequence number of an RTX packet (its first two payload bytes), or nil
    /// when the payload is shorter than two bytes.
    public var rtxOriginalSequenceNumber: UInt16? {
        payloadLength >= 2 ? uint16(at: payloadOffset) : nil
    }

    /// Restores the original packet from its RTX form, in place: the sequence number comes from
    /// the OSN, SSRC and payload type from the caller (the media stream the RTX stream repairs).
    public mutating func rtxDecapsulate(payloadType: UInt8, ssrc: UInt32) throws(RtpPacketError) {
        guard let originalSequenceNumber = rtxOriginalSequenceNumber else {
            throw .payloadTooShortForRtx(length: payloadLength)
        }
        removePadding()
        let payloadStart = buffer.readerIndex + payloadOffset
        // Cannot fail: the source range is the payload after the OSN, the target starts earlier.
        _ = try? buffer.copyBytes(at: payloadStart + 2, to: payloadStart, length: payloadLength - 2)
        buffer.moveWriterIndex(to: buffer.writerIndex - 2)
        self.payloadType = payloadType
        self.ssrc = ssrc
        self.sequenceNumber = originalSequenceNumber
    }
}
