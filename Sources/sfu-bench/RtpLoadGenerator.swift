import CLinuxIO
import Foundation
import NIOCore
import SFU

#if canImport(Glibc)
import Glibc
#endif

/// Sends SRTP-protected VP8 or Opus packets (``BenchMedia``) from its own thread at a steady
/// rate to one address, with a blocking socket so the sending cost stays off the worker being
/// measured. Every packet carries a ``PacketStamp`` (its index and send time) so receivers can
/// check order, integrity and latency.
final class RtpLoadGenerator: @unchecked Sendable {
    // @unchecked: `sent` is written by the sending thread and read after `run` returns.
    private(set) var sent = 0
    private let destinationHost: String
    private let destinationPort: Int
    private let media: BenchMedia
    private let packetSize: Int
    private let ssrc: UInt32
    private let session: SrtpSession?
    /// One socket for every run: a comedia transport only accepts the address it learnt first.
    private let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    // Kept across runs, so a second run continues the same RTP stream.
    private var sequenceNumber = UInt16.random(in: 0...UInt16.max)
    private var timestamp = UInt32.random(in: 0...UInt32.max)

    init(
        destinationHost: String = "127.0.0.1", destinationPort: Int, media: BenchMedia = .video, packetSize: Int,
        ssrc: UInt32, masterKey: SrtpMasterKey?
    ) throws {
        self.destinationHost = destinationHost
        self.destinationPort = destinationPort
        self.media = media
        self.packetSize = packetSize
        self.ssrc = ssrc
        self.session = try masterKey.map { try SrtpSession(direction: .outbound, masterKey: $0) }
    }

    deinit { close(descriptor) }

    /// Sends `rate` packets a second for `duration`, in 1 ms bursts; returns when done.
    /// Blocks the calling thread: run it on its own (``runOnThread(rate:duration:)``).
    func run(rate: Int, duration: Duration) {
        var sendBuffer: Int32 = 8 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &sendBuffer, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(destinationPort).bigEndian)
        address.sin_addr.s_addr = inet_addr(destinationHost)

        let payload = ByteBuffer(bytes: media.payload(size: packetSize - RtpPacket.fixedHeaderLength))
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + duration
        let alreadySent = sent
        // The RTP clock advances with real time, as a camera's or microphone's does, so
        // media-time windows (2 s of retransmission buffer) hold what they would in a real call.
        let timestampStep = UInt32(max(1, media.clockRate / rate))
        var tick = 0
        while clock.now < end {
            tick += 1
            let due = alreadySent + Int(Double(rate) * Double(tick) / 1000)
            while sent < due {
                let packet = RtpPacket(
                    payloadType: media.payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc, payload: payload)
                sequenceNumber &+= 1
                timestamp &+= timestampStep
                var buffer = packet.buffer
                PacketStamp(index: UInt64(sent), sentNanoseconds: PacketStamp.now())
                    .write(into: &buffer, payloadOffset: RtpPacket.fixedHeaderLength)
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

    /// ``run(rate:duration:)`` on a new thread, awaited.
    func runOnThread(rate: Int, duration: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                self.run(rate: rate, duration: duration)
                continuation.resume()
            }.start()
        }
    }
}
