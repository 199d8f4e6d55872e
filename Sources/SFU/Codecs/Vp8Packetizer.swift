import NIOCore

/// Splits VP8 frames into RTP packets (RFC 7741 §4).
///
/// Every packet starts with a 4-byte payload descriptor: X=1, S=1 on the first packet of a
/// frame only, PID=0 (whole frames, not partitions), then I=1 and a 15-bit PictureID that
/// increases by one per frame. A frame is cut into as few packets as fit ``maxPayloadSize``,
/// of nearly equal size (as libwebrtc does, so no runt last packet), and its last packet
/// carries the marker bit. Sequence numbers increase by one per packet, wrapping at 2^16.
public struct Vp8Packetizer: Sendable {
    /// Payload descriptor bytes in every packet: flags, extension flags, 2-byte PictureID.
    public static let descriptorLength = 4

    public var payloadType: UInt8
    public var ssrc: UInt32
    /// Largest RTP payload, descriptor included.
    public let maxPayloadSize: Int
    /// The sequence number of the next packet.
    public private(set) var nextSequenceNumber: UInt16
    /// The 15-bit PictureID of the next frame.
    public private(set) var nextPictureId: UInt16

    /// - Precondition: `maxPayloadSize` leaves room for at least one byte of frame data after
    ///   the descriptor.
    public init(payloadType: UInt8, ssrc: UInt32, maxPayloadSize: Int = 1100, initialSequenceNumber: UInt16, initialPictureId: UInt16) {
        precondition(maxPayloadSize > Self.descriptorLength, "maxPayloadSize must exceed the \(Self.descriptorLength)-byte descriptor")
        self.payloadType = payloadType
        self.ssrc = ssrc
        self.maxPayloadSize = maxPayloadSize
        self.nextSequenceNumber = initialSequenceNumber
        self.nextPictureId = initialPictureId & 0x7FFF
    }

    /// The packets carrying `frame` (one encoded VP8 frame), all with `timestamp`.
    public mutating func packetize(frame: ByteBuffer, timestamp: UInt32) -> [RtpPacket] {
        let length = frame.readableBytes
        let capacity = maxPayloadSize - Self.descriptorLength
        let packetCount = max(1, (length + capacity - 1) / capacity)
        let baseSize = length / packetCount
        let largerPackets = length % packetCount
        let pictureId = nextPictureId
        nextPictureId = (nextPictureId &+ 1) & 0x7FFF

        var packets: [RtpPacket] = []
        packets.reserveCapacity(packetCount)
        var offset = frame.readerIndex
        for index in 0..<packetCount {
            let size = baseSize + (index < largerPackets ? 1 : 0)
            var payload = ByteBuffer()
            payload.reserveCapacity(Self.descriptorLength + size)
            payload.writeInteger(UInt8(0x80 | (index == 0 ? 0x10 : 0)))
            payload.writeInteger(UInt8(0x80))
            payload.writeInteger(UInt16(0x8000) | pictureId)
            if let chunk = frame.getSlice(at: offset, length: size) { payload.writeImmutableBuffer(chunk) }
            offset += size
            packets.append(RtpPacket(
                payloadType: payloadType, sequenceNumber: nextSequenceNumber, timestamp: timestamp, ssrc: ssrc,
                marker: index == packetCount - 1, payload: payload))
            nextSequenceNumber &+= 1
        }
        return packets
    }
}
