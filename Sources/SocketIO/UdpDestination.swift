import CLinuxIO
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A remote address in the form `sendto` takes, made once per remote: copying it copies plain
/// bytes, where copying a `SocketAddress` retains and releases its host string on every packet.
public struct UdpDestination: Sendable {
    private let storage: sockaddr_storage
    private let length: socklen_t
    /// The sending socket is connected to this address (``UdpSocket/connect(to:)``): sends name
    /// no address, so the kernel uses the route it looked up once at `connect`.
    private var isConnected = false

    public init(_ address: SocketAddress) {
        var storage = sockaddr_storage()
        let length = withUnsafeMutableBytes(of: &storage) { target in
            address.withSockAddr { pointer, length in
                target.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: length))
                return socklen_t(length)
            }
        }
        self.storage = storage
        self.length = length
    }

    /// The address again, for a datagram that has to be queued through NIO.
    var address: SocketAddress {
        // The storage was made from a SocketAddress, so it is IPv4 or IPv6.
        storage.socketAddress(host: "")!
    }

    /// Sends `data` here from `descriptor` with one `sendto`. Answers whether that ends the send:
    /// sent, or refused for good (unreachable network, say: dropped, as UDP is). False means the
    /// kernel's send buffer is full and the datagram must wait.
    func send(_ data: ByteBuffer, from descriptor: CInt) -> Bool {
        let sent = data.withUnsafeReadableBytes { bytes in
            if isConnected { return Glibc.send(descriptor, bytes.baseAddress, bytes.count, 0) }
            return withSockAddr { pointer, length in
                Glibc.sendto(descriptor, bytes.baseAddress, bytes.count, 0, pointer, length)
            }
        }
        guard sent < 0 else { return true }
        let code = errno
        return code != EAGAIN && code != EWOULDBLOCK && code != ENOBUFS
    }

    /// Connects `descriptor` here (connect(2)) and answers the destination the connected socket
    /// sends to from then on, or nil when the kernel refused.
    func connect(_ descriptor: CInt) -> UdpDestination? {
        guard withSockAddr({ Glibc.connect(descriptor, $0, $1) }) == 0 else { return nil }
        var destination = self
        destination.isConnected = true
        return destination
    }

    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafeBytes(of: storage) { bytes in
            body(bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }
}

extension sockaddr_storage {
    /// This IPv4 or IPv6 address as a `SocketAddress` carrying `host` as its text; nil for other
    /// families.
    func socketAddress(host: String) -> SocketAddress? {
        withUnsafeBytes(of: self) { bytes in
            switch CInt(ss_family) {
            case AF_INET: SocketAddress(bytes.load(as: sockaddr_in.self), host: host)
            case AF_INET6: SocketAddress(bytes.load(as: sockaddr_in6.self), host: host)
            default: nil
            }
        }
    }
}
