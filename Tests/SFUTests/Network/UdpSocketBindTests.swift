import Foundation
import NIOCore
import SocketIO
import NIOPosix
import XCTest
@testable import SFU

final class UdpSocketBindTests: XCTestCase {
    private static func openDescriptorCount() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    }

    /// Ports of a range tried while taken must not leave sockets behind.
    func testBindingARangeWithBusyPortsLeaksNoSocket() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // Four consecutive ports, three of them held, so most random picks hit a busy one.
        var held: [UdpSocket] = []
        let first = try await UdpSocket.bind(host: "127.0.0.1", port: 0, on: group.next())
        let base = try XCTUnwrap(first.localAddress.port)
        _ = try await group.next().submit { first.close() }.get()
        let range = PortRange(min: base, max: base + 3)
        for port in range.min..<range.max {
            held.append(try await UdpSocket.bind(host: "127.0.0.1", port: port, on: group.next()))
        }
        // One bind first, so whatever the loop opens on first use is already counted.
        let warmUp = try await UdpSocket.bind(host: "127.0.0.1", in: range, on: group.next())
        _ = try await group.next().submit { warmUp.close() }.get()
        try await Task.sleep(for: .milliseconds(50))
        let before = try Self.openDescriptorCount()
        for _ in 0..<20 {
            let socket = try await UdpSocket.bind(host: "127.0.0.1", in: range, on: group.next())
            XCTAssertEqual(socket.localAddress.port, range.max)
            _ = try await group.next().submit { socket.close() }.get()
        }
        try await Task.sleep(for: .milliseconds(50))
        let after = try Self.openDescriptorCount()
        XCTAssertEqual(after, before, "sockets of failed binds left open")
        for socket in held { _ = try await group.next().submit { socket.close() }.get() }
        try await group.shutdownGracefully()
    }
}
