import CLinuxIO
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The `recvmmsg` vector of a ``SocketEventLoop``: message headers, their source addresses and
/// one slice of memory per message, made once and reused for every read on the loop.
final class DatagramReceiveBuffers {
    /// Datagrams read per system call.
    static let count = 32
    /// Bytes kept of each datagram: a jumbo frame. Longer datagrams arrive truncated, and fail
    /// the length checks of whoever parses them.
    static let sliceSize = 9216

    private let messages: UnsafeMutablePointer<CLinuxIO_mmsghdr>
    private let vectors: UnsafeMutablePointer<iovec>
    private let addresses: UnsafeMutablePointer<sockaddr_storage>
    private let bytes: UnsafeMutableRawPointer

    init() {
        messages = .allocate(capacity: Self.count)
        vectors = .allocate(capacity: Self.count)
        addresses = .allocate(capacity: Self.count)
        bytes = .allocate(byteCount: Self.count * Self.sliceSize, alignment: 16)
        for index in 0..<Self.count {
            vectors[index] = iovec(iov_base: bytes + index * Self.sliceSize, iov_len: Self.sliceSize)
            messages[index] = CLinuxIO_mmsghdr()
            messages[index].msg_hdr.msg_name = UnsafeMutableRawPointer(addresses + index)
            messages[index].msg_hdr.msg_iov = vectors + index
            messages[index].msg_hdr.msg_iovlen = 1
        }
    }

    deinit {
        messages.deallocate()
        vectors.deallocate()
        addresses.deallocate()
        bytes.deallocate()
    }

    /// Reads up to ``count`` datagrams from `descriptor` without blocking; answers how many (0
    /// when none is waiting or the read failed).
    func receive(from descriptor: CInt) -> Int {
        for index in 0..<Self.count {
            messages[index].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            messages[index].msg_hdr.msg_flags = 0
        }
        let received = CLinuxIO_recvmmsg(descriptor, messages, UInt32(Self.count), CInt(MSG_DONTWAIT))
        return max(Int(received), 0)
    }

    /// The bytes of datagram `index` of the last read.
    func datagram(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes + index * Self.sliceSize, count: Int(messages[index].msg_len))
    }

    /// The source of datagram `index` of the last read. Its host text is left empty: formatting
    /// it for every datagram cost more than the rest of the read (`description` and `ipAddress`
    /// still work from the address bytes). When it is `recent`'s address again, that one is
    /// answered; otherwise it becomes `recent`.
    func source(_ index: Int, recent: inout RecentSource) -> SocketAddress? {
        let length = messages[index].msg_hdr.msg_namelen
        if let address = recent.address, length == recent.length,
            withUnsafeBytes(of: &recent.bytes, { memcmp($0.baseAddress!, addresses + index, Int(length)) }) == 0
        {
            return address
        }
        guard let address = addresses[index].socketAddress(host: "") else { return nil }
        recent = RecentSource(bytes: addresses[index], length: length, address: address)
        return address
    }
}

/// The source address a socket read last, with its bytes: a socket that hears from one remote
/// (a relay socket and its peer) then makes no new `SocketAddress`, an allocation, per datagram.
struct RecentSource {
    var bytes = sockaddr_storage()
    var length: socklen_t = 0
    var address: SocketAddress?
}
