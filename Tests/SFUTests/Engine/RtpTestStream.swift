import NIOCore
@testable import SFU

/// One RTP stream as a test sender produces it: consecutive sequence numbers and timestamps
/// advancing by one frame (video, 30 fps) or one 20 ms packet (audio) per packet.
struct RtpTestStream {
    let kind: MediaKind
    let ssrc: UInt32
    let payloadType: UInt8
    var sequenceNumber: UInt16 = .random(in: 0...UInt16.max)
    var timestamp: UInt32 = .random(in: 0...UInt32.max)
    private var pictureId: UInt16 = .random(in: 0...0x7FFF)
    /// VP8 temporal layers, frame by frame and repeating (L1T3: 0, 2, 1, 2); none when empty.
    var temporalPattern: [UInt8] = []
    private var frameIndex = 0

    static func vp8(ssrc: UInt32, payloadType: UInt8 = 96) -> RtpTestStream {
        RtpTestStream(kind: .video, ssrc: ssrc, payloadType: payloadType)
    }

    static func opus(ssrc: UInt32, payloadType: UInt8 = 111) -> RtpTestStream {
        RtpTestStream(kind: .audio, ssrc: ssrc, payloadType: payloadType)
    }

    private init(kind: MediaKind, ssrc: UInt32, payloadType: UInt8) {
        self.kind = kind
        self.ssrc = ssrc
        self.payloadType = payloadType
    }

    /// RTP ticks between packets: one 30 fps frame at 90 kHz, or 20 ms at 48 kHz.
    var timestampStep: UInt32 { kind == .video ? 3000 : 960 }

    /// The next packet: a one-packet VP8 frame (with PictureID) for video, an Opus TOC byte
    /// and the sequence number for audio. Payloads end in filler bytes equal to the low byte
    /// of the SSRC, which tells a forwarded packet's source stream (``sourceSsrcLowByte(of:)``).
    mutating func next(keyFrame: Bool = false) -> RtpPacket {
        let filler = UInt8(truncatingIfNeeded: ssrc)
        let payload =
            kind == .audio
            ? [0xFC, UInt8(sequenceNumber >> 8), UInt8(sequenceNumber & 0xFF)] + Array(repeating: filler, count: 60)
            : Self.vp8Payload(
                pictureId: pictureId, keyFrame: keyFrame, filler: filler,
                temporalLayer: temporalPattern.isEmpty ? nil : keyFrame ? 0 : temporalPattern[frameIndex % temporalPattern.count])
        let packet = RtpPacket(
            payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc, marker: true,
            payloadBytes: payload)
        sequenceNumber &+= 1
        timestamp &+= timestampStep
        pictureId = (pictureId + 1) & 0x7FFF
        frameIndex = keyFrame ? 1 : frameIndex + 1
        return packet
    }

    /// Skips `count` packets, as a network that lost them.
    mutating func skip(_ count: Int) {
        for _ in 0..<count { _ = next() }
    }

    /// A VP8 payload descriptor (RFC 7741: X, S, partition 0, 15-bit PictureID) and a frame
    /// header: a key frame's carries the start code and a 320x240 size.
    static func vp8Payload(pictureId: UInt16, keyFrame: Bool, filler: UInt8, temporalLayer: UInt8? = nil) -> [UInt8] {
        var descriptor: [UInt8] = [0x90, 0x80, 0x80 | UInt8(pictureId >> 8), UInt8(pictureId & 0xFF)]
        if let temporalLayer {
            descriptor[1] |= 0x20
            descriptor.append(temporalLayer << 6)
        }
        let header: [UInt8] = keyFrame ? [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00] : [0x11, 0x02, 0x00]
        return descriptor + header + Array(repeating: filler, count: 100)
    }

    /// The low byte of the SSRC of the stream a (forwarded) packet was made by.
    static func sourceSsrcLowByte(of packet: RtpPacket) -> UInt8? {
        packet.payload.getInteger(at: packet.payload.writerIndex - 1, as: UInt8.self)
    }

    /// Whether a forwarded VP8 packet starts a key frame.
    static func isVp8KeyFrame(_ packet: RtpPacket) -> Bool {
        Vp8PayloadDescriptor(payload: packet.payload)?.isKeyFrame ?? false
    }
}
