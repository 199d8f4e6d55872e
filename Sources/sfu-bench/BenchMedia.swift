import SFU

/// What a benchmark producer sends: VP8 video at the rate the bitrate asks for, or Opus audio
/// as a browser sends it (20 ms packets of a 64 kbps stream).
enum BenchMedia {
    case video
    case audio

    /// Opus packets per second at a 20 ms packet time.
    static let audioPacketRate = 50
    /// RTP header and 160 bytes of Opus payload: 64 kbps at 50 packets a second.
    static let audioPacketSize = RtpPacket.fixedHeaderLength + 160

    var kind: String {
        switch self {
        case .video: "video"
        case .audio: "audio"
        }
    }

    var payloadType: UInt8 {
        switch self {
        case .video: 96
        case .audio: 100
        }
    }

    var clockRate: Int {
        switch self {
        case .video: 90000
        case .audio: 48000
        }
    }

    var codec: RtpCodecParameters {
        switch self {
        case .video: RtpCodecParameters(mimeType: "video/VP8", payloadType: Int(payloadType), clockRate: clockRate)
        case .audio:
            RtpCodecParameters(mimeType: "audio/opus", payloadType: Int(payloadType), clockRate: clockRate, channels: 2)
        }
    }

    /// A payload of `size` bytes (at least a ``PacketStamp``'s room) that starts as this codec's
    /// do, the rest ``PacketStamp/filler``. Video starts with a VP8 payload descriptor (start
    /// of partition) and a key frame header, so consumers start forwarding at once; audio
    /// with an Opus TOC byte (one 20 ms fullband frame).
    func payload(size: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: PacketStamp.filler, count: max(size, PacketStamp.end))
        switch self {
        case .video:
            bytes.replaceSubrange(0..<7, with: [0x10, 0x00, 0x00, 0x00, 0x9D, 0x01, 0x2A])
        case .audio:
            bytes[0] = 0x78
        }
        return bytes
    }
}
