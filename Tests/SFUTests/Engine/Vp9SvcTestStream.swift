import NIOCore
@testable import SFU

/// Pictures as a VP9 K-SVC sender (L3T3_KEY) sends them: one frame per spatial layer under one
/// timestamp, each of `packetsPerLayer` packets, the marker on the picture's last packet;
/// temporal layers 0, 2, 1, 2 from a key frame, each frame above layer 0 a switching-up point.
struct Vp9SvcTestStream {
    static let payloadType: UInt8 = 98

    let ssrc: UInt32
    var packetsPerLayer = [1, 1, 1]
    var payloadSize = 40
    var sequenceNumber: UInt16 = .random(in: 0...UInt16.max)
    var timestamp: UInt32 = .random(in: 0...UInt32.max)
    private var pictureIndex = 0

    init(ssrc: UInt32) {
        self.ssrc = ssrc
    }

    /// Producer parameters of this sender: VP9 (profile 2, as mediasoup-demo's router has it)
    /// with NACK and PLI feedback.
    var parameters: RtpParameters {
        RtpParameters(
            mid: nil,
            codecs: [
                RtpCodecParameters(
                    mimeType: "video/VP9", payloadType: Int(Self.payloadType), clockRate: 90000,
                    parameters: ["profile-id": 2],
                    rtcpFeedback: [RtcpFeedback(type: "nack", parameter: ""), RtcpFeedback(type: "nack", parameter: "pli")])
            ],
            encodings: [RtpEncodingParameters(ssrc: ssrc, scalabilityMode: "L3T3_KEY")],
            rtcp: RtcpParameters(cname: "test-sender"))
    }

    mutating func nextPicture(keyFrame: Bool) -> [RtpPacket] {
        if keyFrame { pictureIndex = 0 }
        let temporalLayer: UInt8 = [0, 2, 1, 2][pictureIndex % 4]
        pictureIndex += 1
        var packets: [RtpPacket] = []
        for (spatialLayer, count) in packetsPerLayer.enumerated() {
            for index in 0..<count {
                // L, B on a frame's first packet, E on its last, P except in a key picture; TID,
                // U above layer 0, SID; TL0PICIDX.
                let flags: UInt8 =
                    0x20 | (keyFrame ? 0 : 0x40) | (index == 0 ? 0x08 : 0) | (index == count - 1 ? 0x04 : 0)
                let layers = temporalLayer << 5 | (temporalLayer > 0 ? 0x10 : 0) | UInt8(spatialLayer) << 1
                let isLast = spatialLayer == packetsPerLayer.count - 1 && index == count - 1
                packets.append(
                    RtpPacket(
                        payloadType: Self.payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc,
                        marker: isLast,
                        payloadBytes: [flags, layers, 0x00] + Array(repeating: 0xA0 | UInt8(spatialLayer), count: payloadSize)))
                sequenceNumber &+= 1
            }
        }
        timestamp &+= 3000
        return packets
    }

    /// The spatial and temporal layers of a packet's VP9 payload descriptor.
    static func layers(of packet: RtpPacket) -> (spatial: UInt8, temporal: UInt8)? {
        guard let descriptor = Vp9PayloadDescriptor(payload: packet.payload) else { return nil }
        return (descriptor.spatialLayer ?? 0, descriptor.temporalLayer ?? 0)
    }
}
