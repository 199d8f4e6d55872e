import Foundation
import NIOCore
import SFU

/// Times what forwarding does to one packet per consumer before SRTP: take the consumer's copy
/// of the producer's packet and rewrite SSRC, payload type, sequence number, timestamp and the
/// header extension ids.
enum RtpRewriteBenchmark {
    static func run(packetSize: Int, iterations: Int, repetitions: Int) throws -> Double {
        let source = try RtpPacket(buffer: samplePacket(size: packetSize))
        let map = RtpHeaderExtensionIdMap([1: 4, 2: 5, 3: 0])
        var best = Double.infinity
        var checksum: UInt32 = 0
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            for index in 0..<iterations {
                var packet = source
                packet.ssrc = 0x1234_5678
                packet.payloadType = 101
                packet.sequenceNumber = UInt16(truncatingIfNeeded: index)
                packet.timestamp = UInt32(truncatingIfNeeded: index &* 3000)
                try packet.remapHeaderExtensionIds(map)
                checksum &+= packet.ssrc &+ UInt32(packet.sequenceNumber)
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
            best = min(best, elapsed / Double(iterations))
        }
        // Keeps the optimizer from dropping the loop.
        if checksum == 0xFFFF_FFFF { print("") }
        return best
    }

    /// An RTP packet with a one-byte extension block (mid, abs-send-time, transport-wide seq).
    private static func samplePacket(size: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeBytes([0x90, 96, 0x00, 0x01, 0, 0, 0x10, 0, 0xAB, 0xCD, 0xEF, 0x01])
        buffer.writeBytes([0xBE, 0xDE, 0x00, 0x03])
        buffer.writeBytes([0x10, 0x30, 0x22, 0x01, 0x02, 0x03, 0x31, 0x00, 0x07, 0x00, 0x00, 0x00])
        buffer.writeRepeatingByte(0xA5, count: max(0, size - buffer.readableBytes))
        return buffer
    }
}
