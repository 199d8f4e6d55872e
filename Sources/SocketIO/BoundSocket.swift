import CLinuxIO
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Opening a bound socket by hand, for the sockets that bypass NIO's bootstraps.
enum BoundSocket {
    /// A non-blocking socket of `type` bound to `address`. `reusePort` lets sockets of several
    /// loops share the port (SO_REUSEADDR and SO_REUSEPORT; a stream socket gets SO_REUSEADDR
    /// anyway); `ipv6Only` lets `::` and `0.0.0.0` bind it side by side; `receiveBufferSize` sets
    /// SO_RCVBUF. Errors are `IOError`s with the errno (EADDRINUSE for a port in use).
    static func open(
        _ address: SocketAddress, type: __socket_type, reusePort: Bool, ipv6Only: Bool, receiveBufferSize: Int?
    ) throws -> CInt {
        let descriptor = Glibc.socket(
            address.protocol.rawValue, Int32(type.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        var enabled: CInt = 1
        let length = socklen_t(MemoryLayout<CInt>.size)
        // A TCP listener may take a port whose earlier connections still linger in TIME_WAIT.
        if reusePort || type == SOCK_STREAM {
            _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &enabled, length)
        }
        if reusePort {
            _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEPORT, &enabled, length)
        }
        if var size = receiveBufferSize.map(CInt.init) {
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, length)
        }
        if ipv6Only, address.protocol == .inet6 {
            _ = setsockopt(descriptor, CInt(IPPROTO_IPV6), IPV6_V6ONLY, &enabled, length)
        }
        let result = address.withSockAddr { pointer, length in Glibc.bind(descriptor, pointer, socklen_t(length)) }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw IOError(errnoCode: code, reason: "bind(descriptor:ptr:bytes:)")
        }
        return descriptor
    }

    /// The local address of `descriptor` (`getsockname`), carrying `host` as its text.
    static func localAddress(of descriptor: CInt, host: String) throws -> SocketAddress {
        try address(of: descriptor, host: host, reason: "getsockname", getsockname)
    }

    /// The remote address of the connected `descriptor` (`getpeername`), carrying `host` as its text.
    static func remoteAddress(of descriptor: CInt, host: String) throws -> SocketAddress {
        try address(of: descriptor, host: host, reason: "getpeername", getpeername)
    }

    private static func address(
        of descriptor: CInt, host: String, reason: String,
        _ query: (CInt, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> CInt
    ) throws -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutableBytes(of: &storage) { bytes in
            query(descriptor, bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
        }
        guard result == 0 else { throw IOError(errnoCode: errno, reason: reason) }
        guard let address = storage.socketAddress(host: host) else { throw IOError(errnoCode: EAFNOSUPPORT, reason: reason) }
        return address
    }
}
