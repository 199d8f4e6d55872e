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
    /// Bytes kept of each datagram: a jumbo frame. Longer datagrams arrive truncated
    /// (``isTruncated(_:)``).
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

    /// Whether datagram `index` of the last read was longer than its slice, and cut short.
    func isTruncated(_ index: Int) -> Bool {
        messages[index].msg_hdr.msg_flags & CInt(MSG_TRUNC) != 0
    }

    /// The source of datagram `index` of the last read. Its host text is left empty: formatting
    /// it for every datagram cost more than the rest of the read (`description` and `ipAddress`
    /// still work from the address bytes). A source among `recent` is answered from there, with
    /// no new `SocketAddress` (an allocation); a new one is added to `recent`.
    func source(_ index: Int, recent: inout RecentSources) -> SocketAddress? {
        let length = messages[index].msg_hdr.msg_namelen
        if let address = recent.address(of: addresses + index, length: length) { return address }
        guard let address = addresses[index].socketAddress(host: "") else { return nil }
        recent.add(RecentSource(bytes: addresses[index], length: length, address: address))
        return address
    }
}

/// The source addresses a socket read last, with their bytes, so a socket that hears from a few
/// remotes in turn (a listener and its clients, a relay socket and its peer) makes no new
/// `SocketAddress` per datagram. Holds up to ``capacity``, replacing the oldest; a socket that
/// hears from one remote keeps one.
struct RecentSources {
    static let capacity = 8

    private var sources: [RecentSource] = []
    private var oldest = 0

    func address(of bytes: UnsafePointer<sockaddr_storage>, length: socklen_t) -> SocketAddress? {
        // Compared in place: copying an entry out copies its 128-byte storage and retains its address.
        sources.withUnsafeBufferPointer { entries in
            for index in entries.indices where entries[index].length == length {
                let stored = UnsafeRawPointer(entries.baseAddress! + index) + MemoryLayout<RecentSource>.offset(of: \.bytes)!
                if memcmp(stored, bytes, Int(length)) == 0 { return entries[index].address }
            }
            return nil
        }
    }

    mutating func add(_ source: RecentSource) {
        guard sources.count == Self.capacity else {
            sources.append(source)
            return
        }
        sources[oldest] = source
        oldest = (oldest + 1) % Self.capacity
    }
}

struct RecentSource {
    let bytes: sockaddr_storage
    let length: socklen_t
    let address: SocketAddress
}
