import CLinuxIO
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SocketIO
import XCTest

@testable import SFU

#if canImport(Glibc)
    import Glibc
#endif

/// ICE-TCP connections nobody's ICE check claimed are let go.
final class TcpMediaServerTests: XCTestCase {
    private func connectedClient(to server: TcpMediaServer) -> CInt {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = server.localAddress.withSockAddr { Glibc.connect(client, $0, socklen_t($1)) }
        XCTAssertEqual(connected, 0)
        return client
    }

    func testAConnectionNoIceCheckClaimedIsClosedAfterItsLifetime() async throws {
        let loop = try SocketEventLoop(name: "test-ice-tcp")
        let server = try await TcpMediaServer.bind(host: "127.0.0.1", port: 0, on: loop)
        let accepted = NIOLockedValueBox<[TcpMediaConnection]>([])
        _ = try await loop.submit { server.onConnection = { connection in accepted.withLockedValue { $0.append(connection) } } }.get()

        let idle = connectedClient(to: server)
        let used = connectedClient(to: server)
        defer {
            close(idle)
            close(used)
        }
        for _ in 0..<500 where accepted.withLockedValue({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        let connections = accepted.withLockedValue { $0 }
        XCTAssertEqual(connections.count, 2)
        _ = try await loop.submit {
            connections[1].isClaimed = true
            server.closeUnclaimed(now: .now() + .seconds(5))
        }.get()
        XCTAssertFalse(connections[0].isClosed, "closed before its lifetime")
        _ = try await loop.submit { server.closeUnclaimed(now: .now() + TcpMediaServer.unclaimedLifetime) }.get()

        var byte: UInt8 = 0
        XCTAssertEqual(recv(idle, &byte, 1, 0), 0, "the unclaimed connection was not closed")
        let usedOpen = try await loop.submit { !connections[1].isClosed }.get()
        XCTAssertTrue(usedOpen, "a claimed connection was closed")
        _ = try await loop.submit { server.close() }.get()
        try await loop.shutdownGracefully()
    }
}
