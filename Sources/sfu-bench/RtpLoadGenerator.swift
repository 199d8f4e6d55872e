import Foundation
import NIOCore
import SFU

#if canImport(Glibc)
import Glibc
#endif

/// Sends SRTP-protected VP8 packets from its own thread at a steady rate to one address, with
/// a blocking socket so the sending cost stays off the worker being measured. Every packet
/// carries a VP8 key frame header so consumers start forwarding at once.
final class RtpLoadGenerator: @unchecked Sendable {
    // @unchecked: `sent` is written by the sending thread and read after `run` returns.
    private(set) var sent = 0
    private let destinationPort: Int
    private let packetSize: Int
    private let ssrc: UInt32
    private let session: SrtpSession?

    init(destinationPort: Int, packetSize: Int, ssrc: UInt32, masterKey: SrtpMasterKey?) throws {
        self.destinationPort = destinationPort
        self.packetSize = packetSize
        self.ssrc = ssrc
        self.session = try masterKey.map { try SrtpSession(direction: .outbound, masterKey: $0) }
    }

    /// Sends `rate` packets a second for `duration`, in 1 ms bursts; returns when done.
    func run(rate: Int, duration: Duration) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var sendBuffer: Int32 = 8 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &sendBuffer, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(destinationPort).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")

        let payload = ByteBuffer(bytes: Self.vp8KeyFramePayload(size: packetSize - RtpPacket.fixedHeaderLength))
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + duration
        var sequenceNumber = UInt16.random(in: 0...UInt16.max)
        var timestamp = UInt32.random(in: 0...UInt32.max)
        var tick = 0
        while clock.now < end {
            tick += 1
            let due = Int(Double(rate) * Double(tick) / 1000)
            while sent < due {
                let packet = RtpPacket(
                    payloadType: 96, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc, payload: payload)
                sequenceNumber &+= 1
                timestamp &+= 3000 / 30
                var buffer = packet.buffer
                if let session, case .failure = session.protectRtp(&buffer) { return }
                buffer.withUnsafeReadableBytes { bytes in
                    withUnsafePointer(to: &address) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                            _ = sendto(descriptor, bytes.baseAddress, bytes.count, 0, socketAddress,
                                socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                }
                sent += 1
            }
            let next = start + .milliseconds(tick)
            let now = clock.now
            if next > now { Thread.sleep(forTimeInterval: Double((next - now).components.attoseconds) / 1e18) }
        }
    }

    /// A VP8 payload descriptor (start of partition) and a key frame header, then filler.
    static func vp8KeyFramePayload(size: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0x5A, count: max(size, 16))
        bytes[0] = 0x10
        bytes[1] = 0x00
        bytes[2] = 0x00
        bytes[3] = 0x00
        bytes[4] = 0x9D
        bytes[5] = 0x01
        bytes[6] = 0x2A
        return bytes
    }
}
