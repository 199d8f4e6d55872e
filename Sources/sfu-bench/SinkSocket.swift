import CLinuxIO
import Foundation
import NIOCore
import Synchronization

/// The loopback UDP socket a benchmark's consumers send to, read by a thread of its own that
/// never sleeps in the kernel on the socket: it takes what is waiting in batches, and when the
/// socket is empty it sleeps a millisecond.
///
/// A receiver asleep in `recv` or `epoll_wait` has to be woken for each packet, and on loopback
/// the sender pays for that wakeup — the server under test, which would be charged several
/// microseconds a packet that receivers across a network never cost it. Sleeping between
/// batches instead of spinning leaves the benchmark's machine the cores a server with several
/// workers needs.
///
/// Each datagram comes with the time the kernel received it (SO_TIMESTAMPNS, on
/// CLOCK_MONOTONIC): a latency measured to it leaves out how long the datagram waited for this
/// thread, which says nothing about the server.
final class SinkSocket: Sendable {
    let port: Int
    private let descriptor: CInt
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Bool>(true)

    /// Binds 127.0.0.1 on a free port and hands every datagram, with the kernel's receive time in
    /// nanoseconds, to `onDatagram`, on the thread.
    init(onDatagram: @escaping @Sendable (ByteBuffer, UInt64) -> Void) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        var receiveBuffer: Int32 = 16 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
        guard CLinuxIO_enableReceiveTimestamps(descriptor) == 0 else {
            let code = errno
            Foundation.close(descriptor)
            throw IOError(errnoCode: code, reason: "SO_TIMESTAMPNS")
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            Foundation.close(descriptor)
            throw IOError(errnoCode: code, reason: "bind")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in poll(onDatagram) }.start()
    }

    private static let batch = 64
    private static let bufferLength = 2048

    private func poll(_ onDatagram: (ByteBuffer, UInt64) -> Void) {
        var storage = [UInt8](repeating: 0, count: Self.batch * Self.bufferLength)
        var lengths = [UInt32](repeating: 0, count: Self.batch)
        var receivedNanoseconds = [UInt64](repeating: 0, count: Self.batch)
        while !stopping.load(ordering: .relaxed) {
            let count = storage.withUnsafeMutableBytes { buffers in
                Int(CLinuxIO_recvmmsgTimestamped(
                    descriptor, buffers.baseAddress, UInt32(Self.bufferLength), UInt32(Self.batch), &lengths,
                    &receivedNanoseconds))
            }
            for index in 0..<max(count, 0) {
                let start = index * Self.bufferLength
                onDatagram(ByteBuffer(bytes: storage[start..<start + Int(lengths[index])]), receivedNanoseconds[index])
            }
            if count < Self.batch { usleep(1000) }
        }
        running.store(false, ordering: .releasing)
    }

    /// Stops the thread and closes the socket.
    func close() async {
        stopping.store(true, ordering: .relaxed)
        while running.load(ordering: .acquiring) { try? await Task.sleep(for: .milliseconds(1)) }
        Foundation.close(descriptor)
    }
}
