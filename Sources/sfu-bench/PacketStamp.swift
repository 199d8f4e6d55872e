import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// What the benchmark writes into each packet's payload after the VP8 key frame header: the
/// packet's index and its send time on the monotonic clock. Every other payload byte is
/// ``filler``, so a receiver can tell a damaged payload.
struct PacketStamp {
    var index: UInt64
    var sentNanoseconds: UInt64

    /// Payload offset of the stamp: after the 10-byte VP8 key frame header.
    static let offset = 16
    static let end = offset + 16
    static let filler: UInt8 = 0x5A

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    func write(into buffer: inout ByteBuffer, payloadOffset: Int) {
        buffer.setInteger(index, at: buffer.readerIndex + payloadOffset + Self.offset)
        buffer.setInteger(sentNanoseconds, at: buffer.readerIndex + payloadOffset + Self.offset + 8)
    }

    init(index: UInt64, sentNanoseconds: UInt64) {
        self.index = index
        self.sentNanoseconds = sentNanoseconds
    }

    /// Reads the stamp of an RTP payload; nil when the payload is too short.
    init?(payload: ByteBuffer) {
        guard let index = payload.getInteger(at: payload.readerIndex + Self.offset, as: UInt64.self),
            let sent = payload.getInteger(at: payload.readerIndex + Self.offset + 8, as: UInt64.self)
        else { return nil }
        self.init(index: index, sentNanoseconds: sent)
    }

    private static let fillerBytes = [UInt8](repeating: filler, count: 2048)

    /// Whether every byte after the stamp is filler (one memcmp: the sink checks every packet).
    static func isIntact(_ payload: ByteBuffer) -> Bool {
        guard payload.readableBytes >= end, payload.readableBytes - end <= fillerBytes.count else { return false }
        return payload.withUnsafeReadableBytes { bytes in
            fillerBytes.withUnsafeBytes { filler in
                memcmp(bytes.baseAddress! + end, filler.baseAddress!, bytes.count - end) == 0
            }
        }
    }
}
