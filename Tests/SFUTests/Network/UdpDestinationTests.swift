import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import XCTest

@testable import SocketIO

final class UdpDestinationTests: XCTestCase {
    /// Runs `body` on a NIO loop, then on a ``SocketEventLoop``: a UdpSocket works on both (the
    /// TURN server's TLS side and the media workers).
    private func onEachKindOfLoop(_ body: (any EventLoop) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let socketLoop = try SocketEventLoop(name: "test-udp")
        do {
            try await body(group.next())
            try await body(socketLoop)
        } catch {
            try? await socketLoop.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw error
        }
        try await socketLoop.shutdownGracefully()
        try await group.shutdownGracefully()
    }

    /// The address comes back out for the queued path, IPv4 and IPv6.
    func testAddressRoundTrips() throws {
        for address in [try SocketAddress(ipAddress: "127.0.0.1", port: 5004), try SocketAddress(ipAddress: "::1", port: 6000)] {
            let back = UdpDestination(address).address
            XCTAssertEqual(back, address)
            XCTAssertEqual(back.port, address.port)
        }
    }

    /// Sends `datagrams` from one new socket to another on `loop` (to a destination made
    /// beforehand) and answers the first `count` the receiver hands on.
    private func sendAndReceive(_ datagrams: [ByteBuffer], count: Int, on loop: any EventLoop) async throws -> [ByteBuffer] {
        let sender = try await UdpSocket.bind(host: "127.0.0.1", port: 0, on: loop)
        let receiver = try await UdpSocket.bind(host: "127.0.0.1", port: 0, on: loop)
        let (received, sink) = AsyncStream.makeStream(of: ByteBuffer.self)
        let destination = UdpDestination(receiver.localAddress)
        try await loop.submit {
            receiver.onDatagram = { data, _ in sink.yield(data) }
            for datagram in datagrams { sender.send(datagram, to: destination) }
        }.get()
        var arrived: [ByteBuffer] = []
        for await datagram in received {
            arrived.append(datagram)
            if arrived.count == count { break }
        }
        try await loop.submit { sender.close(); receiver.close() }.get()
        return arrived
    }

    /// Datagrams sent to a destination made beforehand arrive, in order and intact.
    func testDatagramsReachTheDestination() async throws {
        try await onEachKindOfLoop { loop in
            let arrived = try await sendAndReceive((0..<3).map { ByteBuffer(string: "packet \($0)") }, count: 3, on: loop)
            XCTAssertEqual(arrived.map { String(buffer: $0) }, ["packet 0", "packet 1", "packet 2"])
        }
    }

    /// A datagram longer than a read slice is dropped on both kinds of loop, never handed on cut
    /// short; the next one arrives intact.
    func testAnOversizedDatagramIsDroppedNotCut() async throws {
        try await onEachKindOfLoop { loop in
            let arrived = try await sendAndReceive(
                [ByteBuffer(repeating: 0xab, count: 10_000), ByteBuffer(string: "after")], count: 1, on: loop)
            XCTAssertEqual(arrived.map { String(buffer: $0) }, ["after"])
        }
    }

    /// A socket connected to a destination sends there without naming it, still takes in that
    /// remote's datagrams, and no longer another sender's.
    func testConnectedSocketSendsToAndHearsOnlyItsRemote() async throws {
        try await onEachKindOfLoop { loop in
            let socket = try await UdpSocket.bind(host: "127.0.0.1", port: 0, on: loop)
            let remote = try await UdpSocket.bind(host: "127.0.0.1", port: 0, on: loop)
            let stranger = try await UdpSocket.bind(host: "127.0.0.1", port: 0, on: loop)
            let (atRemote, remoteSink) = AsyncStream.makeStream(of: ByteBuffer.self)
            let (atSocket, socketSink) = AsyncStream.makeStream(of: (String, SocketAddress).self)
            let toSocket = UdpDestination(socket.localAddress)
            try await loop.submit {
                remote.onDatagram = { data, _ in remoteSink.yield(data) }
                socket.onDatagram = { data, source in socketSink.yield((String(buffer: data), source)) }
                guard let connected = socket.connect(to: UdpDestination(remote.localAddress)) else {
                    return XCTFail("connect was refused")
                }
                socket.send(ByteBuffer(string: "to remote"), to: connected)
                stranger.send(ByteBuffer(string: "from stranger"), to: toSocket)
                remote.send(ByteBuffer(string: "from remote"), to: toSocket)
            }.get()
            var remoteIterator = atRemote.makeAsyncIterator()
            let sent = await remoteIterator.next()
            XCTAssertEqual(sent.map { String(buffer: $0) }, "to remote")
            // Loopback delivers in send order: the stranger's datagram would have come first.
            var socketIterator = atSocket.makeAsyncIterator()
            let first = await socketIterator.next()
            XCTAssertEqual(first?.0, "from remote")
            XCTAssertEqual(first?.1, remote.localAddress)
            try await loop.submit { socket.close(); remote.close(); stranger.close() }.get()
        }
    }

    /// A connected socket whose remote is not listening yet gets the kernel's "connection
    /// refused" (ICMP port unreachable) on its sends and reads; it stays open, and once the
    /// remote listens datagrams flow both ways.
    func testConnectedSocketOutlivesARefusingRemote() async throws {
        try await onEachKindOfLoop { loop in
            let socket = try await UdpSocket.bind(host: "127.0.0.1", port: 0, on: loop)
            let placeholder = try await UdpSocket.bind(host: "127.0.0.1", port: 0, on: loop)
            let remoteAddress = placeholder.localAddress
            try await loop.submit { placeholder.close() }.get().get()
            let atSocket = NIOLockedValueBox<[String]>([])
            let connected = try await loop.submit {
                socket.onDatagram = { data, _ in atSocket.withLockedValue { $0.append(String(buffer: data)) } }
                let connected = socket.connect(to: UdpDestination(remoteAddress))
                for index in 0..<3 { connected.map { socket.send(ByteBuffer(string: "refused \(index)"), to: $0) } }
                return connected
            }.get()
            let destination = try XCTUnwrap(connected)
            // Let the loop read the pending error.
            try await Task.sleep(for: .milliseconds(50))

            let remote = try await UdpSocket.bind(host: "127.0.0.1", port: remoteAddress.port!, on: loop)
            let atRemote = NIOLockedValueBox<[String]>([])
            try await loop.submit {
                remote.onDatagram = { data, _ in atRemote.withLockedValue { $0.append(String(buffer: data)) } }
                socket.send(ByteBuffer(string: "after"), to: destination)
                socket.send(ByteBuffer(string: "after again"), to: destination)
                remote.send(ByteBuffer(string: "reply"), to: UdpDestination(socket.localAddress))
            }.get()
            // The first send after the refusals may still carry the pending error and be dropped.
            let sent = await BoundedWait.until(timeout: .seconds(2)) {
                atRemote.withLockedValue { $0.contains("after again") }
            }
            XCTAssertTrue(sent, "the connected socket stopped sending: \(atRemote.withLockedValue { $0 })")
            let read = await BoundedWait.until(timeout: .seconds(2)) { atSocket.withLockedValue { $0 == ["reply"] } }
            XCTAssertTrue(read, "the connected socket stopped reading: \(atSocket.withLockedValue { $0 })")
            try await loop.submit { socket.close(); remote.close() }.get()
        }
    }
}
