import NIOCore

/// DCEP messages (RFC 8832 §5): how a peer opens a data channel in-band.
enum DataChannelControlMessage: Equatable {
    struct Open: Equatable {
        /// RFC 8832 §5.1 channel type: 0x00 reliable, 0x01 partial (retransmits), 0x02 partial
        /// (lifetime); the 0x80 bit makes it unordered.
        var channelType: UInt8
        var priority: UInt16
        /// Retransmits or milliseconds, by `channelType`.
        var reliabilityParameter: UInt32
        var label: String
        var `protocol`: String

        var ordered: Bool { channelType & 0x80 == 0 }
    }

    case open(Open)
    case ack

    private static let openType: UInt8 = 0x03
    private static let ackType: UInt8 = 0x02

    /// Parses a PPID 50 payload; nil when malformed.
    init?(_ payload: ByteBuffer) {
        var buffer = payload
        switch buffer.readInteger(as: UInt8.self) {
        case Self.ackType:
            self = .ack
        case Self.openType:
            guard let channelType = buffer.readInteger(as: UInt8.self),
                let priority = buffer.readInteger(as: UInt16.self),
                let reliability = buffer.readInteger(as: UInt32.self),
                let labelLength = buffer.readInteger(as: UInt16.self),
                let protocolLength = buffer.readInteger(as: UInt16.self),
                let label = buffer.readString(length: Int(labelLength)),
                let proto = buffer.readString(length: Int(protocolLength))
            else { return nil }
            self = .open(Open(
                channelType: channelType, priority: priority, reliabilityParameter: reliability, label: label,
                protocol: proto))
        default:
            return nil
        }
    }

    func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        switch self {
        case .ack:
            buffer.writeInteger(Self.ackType)
        case .open(let open):
            buffer.writeInteger(Self.openType)
            buffer.writeInteger(open.channelType)
            buffer.writeInteger(open.priority)
            buffer.writeInteger(open.reliabilityParameter)
            buffer.writeInteger(UInt16(open.label.utf8.count))
            buffer.writeInteger(UInt16(open.protocol.utf8.count))
            buffer.writeString(open.label)
            buffer.writeString(open.protocol)
        }
        return buffer
    }
}
