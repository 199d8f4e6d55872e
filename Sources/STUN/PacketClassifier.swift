import NIOCore

/// Tells apart the protocols that share one UDP port (or one TURN allocation) by their first
/// bytes, following RFC 7983 §7, with ChannelData widened to 64–127 for RFC 5766's channel range.
///
/// ICE-lite in the SFU uses it on every datagram of a WebRTC transport, the TURN server on
/// every datagram from a client, so it only reads, never copies.
public enum PacketClassifier {
    public enum Kind: Hashable, Sendable {
        /// First byte 0–3 and the magic cookie at bytes 4–7 in a packet of at least 20 bytes.
        case stun
        /// First byte 64–127 and at least the 4-byte header.
        case channelData
        /// First byte 20–63.
        case dtls
        /// First byte 128–191 with a second byte that is not an RTCP packet type.
        case rtp
        /// First byte 128–191 with a second byte of 192–223 (RFC 5761 §4: RTCP packet types
        /// occupy what would be RTP payload types 64–95 with the marker bit set).
        case rtcp
        /// Anything else, including RFC 3489 STUN without the magic cookie and ZRTP (16–19).
        case unknown
    }

    /// Reads at most the first 8 bytes, in place.
    public static func classify(_ datagram: ByteBuffer) -> Kind {
        let start = datagram.readerIndex
        guard let first = datagram.getInteger(at: start, as: UInt8.self) else { return .unknown }
        switch first {
        case 0...3:
            guard datagram.readableBytes >= StunMessageHeader.byteCount else { return .unknown }
            let cookie = datagram.getInteger(at: start + 4, as: UInt32.self)
            return cookie == StunMessageHeader.magicCookie ? .stun : .unknown
        case 20...63:
            return .dtls
        case 64...127:
            return datagram.readableBytes >= ChannelData.headerLength ? .channelData : .unknown
        case 128...191:
            guard let second = datagram.getInteger(at: start + 1, as: UInt8.self) else { return .unknown }
            return (192...223).contains(second) ? .rtcp : .rtp
        default:
            return .unknown
        }
    }
}
