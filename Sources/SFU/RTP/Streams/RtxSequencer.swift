import NIOCore
/// The RTX stream (RFC 4588) of one consumer stream: its payload type, SSRC and the sequence
/// number counter its retransmissions use.
///
/// RTX packets have their own sequence space, so a receiver can tell a retransmission's own
/// losses apart from the media stream's. Like mediasoup, the counter starts at a random value.
public struct RtxSequencer: Sendable, Equatable {
    /// The RTX payload type (the one whose `apt` is the media payload type).
    public let payloadType: UInt8
    /// The RTX stream's SSRC.
    public let ssrc: UInt32
    /// The sequence number the next RTX packet gets.
    public private(set) var nextSequenceNumber: UInt16

    public init(payloadType: UInt8, ssrc: UInt32, firstSequenceNumber: UInt16) {
        self.payloadType = payloadType
        self.ssrc = ssrc
        self.nextSequenceNumber = firstSequenceNumber
    }

    /// An RTX stream whose first packet gets a random sequence number.
    public init(payloadType: UInt8, ssrc: UInt32) {
        self.init(payloadType: payloadType, ssrc: ssrc, firstSequenceNumber: .random(in: .min ... .max))
    }

    /// The RTX form of `packet` (a packet of the media stream as it was sent), taking the next
    /// RTX sequence number. `packet` itself is not changed.
    public mutating func encapsulate(_ packet: RtpPacket) -> RtpPacket {
        let sequenceNumber = nextSequenceNumber
        nextSequenceNumber &+= 1
        return packet.rtxEncapsulated(payloadType: payloadType, ssrc: ssrc, sequenceNumber: sequenceNumber)
    }

    /// A padding-only RTX packet (a bandwidth probe): no payload, `paddingLength` bytes of
    /// padding, the next RTX sequence number.
    public mutating func paddingPacket(timestamp: UInt32, paddingLength: UInt8) -> RtpPacket {
        let sequenceNumber = nextSequenceNumber
        nextSequenceNumber &+= 1
        return RtpPacket(
            payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc,
            payload: ByteBuffer(), paddingLength: paddingLength)
    }
}
