import CLinuxIO
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SocketIO
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// ``StreamLoopListener`` and ``StreamLoopConnection`` against plain blocking client sockets.
final class StreamLoopConnectionTests: XCTestCase {
    private var loop: SocketEventLoop!
    private var listener: StreamLoopListener!
    /// The connections accepted, in order.
    private let accepted = NIOLockedValueBox<[StreamLoopConnection]>([])
    /// Messages the server side took out of its stream: a length byte, then that many bytes.
    private let messages = NIOLockedValueBox<[String]>([])
    private let closes = NIOLockedValueBox(0)

    override func setUp() async throws {
        let loop = try SocketEventLoop(name: "test-tcp")
        self.loop = loop
        let (accepted, messages, closes) = (accepted, messages, closes)
        listener = try await loop.submit {
            let listener = try StreamLoopListener.bind(host: "127.0.0.1", port: 0, on: loop, reusePort: false)
            listener.onAccept = { connection in
                accepted.withLockedValue { $0.append(connection) }
                connection.onReceive = { received in
                    while let length = received.getInteger(at: received.readerIndex, as: UInt8.self) {
                        guard length > 0 else { throw Unframeable() }
                        guard received.readableBytes > Int(length) else { return }
                        received.moveReaderIndex(forwardBy: 1)
                        let text = received.readString(length: Int(length)) ?? ""
                        messages.withLockedValue { $0.append(text) }
                    }
                }
                connection.onClose = { closes.withLockedValue { $0 += 1 } }
            }
            return listener
        }.get()
    }

    override func tearDown() async throws {
        try await loop.shutdownGracefully()
    }

    private struct Unframeable: Error {}

    /// A blocking TCP client connected to the listener, reads timing out after `timeout`.
    private func connect(timeout seconds: Int = 5) throws -> CInt {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = listener.localAddress.withSockAddr { Glibc.connect(client, $0, socklen_t($1)) }
        XCTAssertEqual(connected, 0)
        return client
    }

    private func send(_ bytes: [UInt8], from client: CInt) {
        XCTAssertEqual(bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, 0) }, bytes.count)
    }

    /// Reads until `count` bytes arrived or the connection ends; answers what arrived.
    private func receive(_ count: Int, on client: CInt) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < count {
            let wanted = count - bytes.count
            let read = chunk.withUnsafeMutableBytes { buffer in
                recv(client, buffer.baseAddress, min(buffer.count, wanted), 0)
            }
            guard read > 0 else { break }
            bytes += chunk[0..<read]
        }
        return bytes
    }

    private func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private static func localPort(of client: CInt) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(client, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func framed(_ text: String) -> [UInt8] {
        [UInt8(text.utf8.count)] + Array(text.utf8)
    }

    func testMessagesSplitAcrossReadsAreTakenWholeAndWritesArriveInOrder() async throws {
        let client = try connect()
        defer { close(client) }
        // Two messages and the start of a third, then its rest a little later.
        let stream = Self.framed("hello") + Self.framed("turn") + Self.framed("over tcp")
        send(Array(stream[0..<14]), from: client)
        try await eventually { messages.withLockedValue { $0.count } == 2 }
        XCTAssertEqual(messages.withLockedValue { $0 }, ["hello", "turn"])
        send(Array(stream[14...]), from: client)
        try await eventually { messages.withLockedValue { $0.count } == 3 }
        XCTAssertEqual(messages.withLockedValue { $0 }, ["hello", "turn", "over tcp"])

        let connection = try XCTUnwrap(accepted.withLockedValue { $0.first })
        XCTAssertEqual(connection.remoteAddress.port, Self.localPort(of: client))
        XCTAssertEqual(connection.remoteAddress.ipAddress, "127.0.0.1")
        XCTAssertEqual(connection.localAddress, listener.localAddress)

        try await loop.submit {
            connection.write(ByteBuffer(string: "one,"))
            connection.write(ByteBuffer(string: "two,"))
            connection.flush()
            connection.write(ByteBuffer(string: "three"))
            connection.flush()
        }.get()
        XCTAssertEqual(String(decoding: receive(13, on: client), as: UTF8.self), "one,two,three")
        XCTAssertEqual(closes.withLockedValue { $0 }, 0)
    }

    func testThePeerClosingOrUnframeableBytesCloseTheConnectionOnce() async throws {
        let leaving = try connect()
        send(Self.framed("bye"), from: leaving)
        close(leaving)
        try await eventually { closes.withLockedValue { $0 } == 1 }
        XCTAssertEqual(messages.withLockedValue { $0 }, ["bye"])
        XCTAssertEqual(closes.withLockedValue { $0 }, 1)

        let garbling = try connect()
        defer { close(garbling) }
        send([0, 1, 2, 3], from: garbling)
        try await eventually { closes.withLockedValue { $0 } == 2 }
        XCTAssertEqual(closes.withLockedValue { $0 }, 2)
        // The server closed it: the client reads the end of the stream.
        var byte: UInt8 = 0
        XCTAssertEqual(recv(garbling, &byte, 1, 0), 0)
        // Closing again changes nothing.
        let connection = try XCTUnwrap(accepted.withLockedValue { $0.last })
        _ = try await loop.submit { connection.close() }.get()
        XCTAssertEqual(closes.withLockedValue { $0 }, 2)
    }

    func testAClientThatDoesNotReadLosesWholeMessagesBeyondTheUnsentLimit() async throws {
        let client = try connect(timeout: 1)
        defer { close(client) }
        try await eventually { accepted.withLockedValue { $0.count } == 1 }
        let connection = try XCTUnwrap(accepted.withLockedValue { $0.first })
        // 16 MiB in 4 KiB messages, each its index repeated: more than the kernel's buffers
        // and the connection's limit together hold while the client reads nothing.
        let messageSize = 4096
        let messageCount = 4096
        try await loop.submit {
            for index in 0..<messageCount {
                connection.write(ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: messageSize))
                connection.flush()
            }
        }.get()
        let arrived = receive(messageSize * messageCount, on: client)
        XCTAssertEqual(arrived.count % messageSize, 0, "a message arrived cut")
        XCTAssertLessThan(arrived.count, messageSize * messageCount)
        XCTAssertGreaterThanOrEqual(arrived.count, StreamLoopConnection.maximumUnsent)
        var previous = -1
        for start in stride(from: 0, to: arrived.count, by: messageSize) {
            let message = arrived[start..<start + messageSize]
            XCTAssertTrue(message.allSatisfy { $0 == message.first }, "a message arrived mixed with another")
            // Messages keep their order (indices wrap every 256).
            let index = Int(message.first!)
            XCTAssertNotEqual(index, previous)
            previous = index
        }
        XCTAssertEqual(closes.withLockedValue { $0 }, 0)
    }

    func testAClosedListenerRefusesConnections() async throws {
        let address = listener.localAddress
        let listener = listener!
        _ = try await loop.submit { listener.close() }.get()
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        let connected = address.withSockAddr { Glibc.connect(client, $0, socklen_t($1)) }
        XCTAssertEqual(connected, -1)
        XCTAssertEqual(errno, ECONNREFUSED)
    }
}
