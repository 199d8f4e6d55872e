import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A remote address in the form `sendto` takes, made once per remote: copying it copies plain
/// bytes, where copying a `SocketAddress` retains and releases its host string on every packet.
public struct UdpDestination: Sendable {
    private let storage: sockaddr_storage
    private let length: socklen_t

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
        withUnsafeBytes(of: storage) { bytes in
            if Int32(storage.ss_family) == AF_INET6 {
                SocketAddress(bytes.load(as: sockaddr_in6.self))
            } else {
                SocketAddress(bytes.load(as: sockaddr_in.self))
            }
        }
    }

    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafeBytes(of: storage) { bytes in
            body(bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }
}
