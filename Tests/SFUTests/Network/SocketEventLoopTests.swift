import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SocketIO
import XCTest

final class SocketEventLoopTests: XCTestCase {
    private var loop: SocketEventLoop!

    override func setUp() async throws {
        loop = try SocketEventLoop(name: "test-udp")
    }

    override func tearDown() async throws {
        try await loop.shutdownGracefully()
    }

    private func bind(port: Int = 0) async throws -> DatagramLoopSocket {
        let loop = loop!
        return try await loop.submit { try DatagramLoopSocket.bind(host: "127.0.0.1", port: port, on: loop) }.get()
    }

    private static func openDescriptorCount() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    }

    func testDatagramsArriveInOrderWithTheirSenderAndReadBatches() async throws {
        let (sender, receiver) = (try await bind(), try await bind())
        let received = NIOLockedValueBox<[(String, SocketAddress)]>([])
        let batches = NIOLockedValueBox(0)
        let allArrived = expectation(description: "200 datagrams")
        try await loop.submit {
            receiver.onDatagram = { bytes, source in
                let count = received.withLockedValue {
                    $0.append((String(buffer: bytes), source))
                    return $0.count
                }
                if count == 200 { allArrived.fulfill() }
            }
            receiver.onReadComplete = { batches.withLockedValue { $0 += 1 } }
            for index in 0..<200 {
                sender.send(ByteBuffer(string: "datagram \(index)"), to: receiver.localAddress)
            }
        }.get()
        await fulfillment(of: [allArrived], timeout: 5)
        let datagrams = received.withLockedValue { $0 }
        XCTAssertEqual(datagrams.map(\.0), (0..<200).map { "datagram \($0)" })
        for (_, source) in datagrams {
            XCTAssertEqual(source, sender.localAddress)
            XCTAssertEqual(source.ipAddress, "127.0.0.1")
        }
        // Sent in one go, they are read many to a batch.
        XCTAssertLessThan(batches.withLockedValue { $0 }, 200)
        XCTAssertGreaterThan(batches.withLockedValue { $0 }, 0)
    }

    /// The socket hands each datagram over in a buffer it reuses, and answers sources it heard
    /// lately from a small cache: a buffer kept must keep its bytes, and every datagram must get
    /// its own sender, with more senders taking turns than the cache holds.
    func testKeptDatagramsKeepTheirBytesAndSendersAmongManySenders() async throws {
        let receiver = try await bind()
        var senders: [DatagramLoopSocket] = []
        for _ in 0..<12 { senders.append(try await bind()) }
        let kept = NIOLockedValueBox<[(ByteBuffer, SocketAddress)]>([])
        let allArrived = expectation(description: "36 datagrams")
        try await loop.submit { [senders] in
            receiver.onDatagram = { bytes, source in
                let count = kept.withLockedValue {
                    $0.append((bytes, source))
                    return $0.count
                }
                if count == 36 { allArrived.fulfill() }
            }
            for round in 0..<3 {
                for (index, sender) in senders.enumerated() {
                    sender.send(ByteBuffer(string: "sender \(index) round \(round)"), to: receiver.localAddress)
                }
            }
        }.get()
        await fulfillment(of: [allArrived], timeout: 5)
        let datagrams = kept.withLockedValue { $0 }
        XCTAssertEqual(datagrams.count, 36)
        for (bytes, source) in datagrams {
            let text = String(buffer: bytes)
            let index = try XCTUnwrap(senders.firstIndex { $0.localAddress == source }, "unknown sender \(source)")
            XCTAssertTrue(text.hasPrefix("sender \(index) round "), "\(text) from sender \(index)")
        }
        XCTAssertEqual(Set(datagrams.map { String(buffer: $0.0) }).count, 36)
    }

    func testAJumboDatagramArrivesWhole() async throws {
        let (sender, receiver) = (try await bind(), try await bind())
        let payload = ByteBuffer(bytes: (0..<9000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        let arrived = expectation(description: "datagram")
        let received = NIOLockedValueBox<ByteBuffer?>(nil)
        try await loop.submit {
            receiver.onDatagram = { bytes, _ in
                received.withLockedValue { $0 = bytes }
                arrived.fulfill()
            }
            sender.send(payload, to: receiver.localAddress)
        }.get()
        await fulfillment(of: [arrived], timeout: 5)
        XCTAssertEqual(received.withLockedValue { $0 }, payload)
    }

    func testABoundPortIsReportedAndATakenPortRefused() async throws {
        let socket = try await bind()
        let port = try XCTUnwrap(socket.localAddress.port)
        XCTAssertNotEqual(port, 0)
        do {
            _ = try await bind(port: port)
            XCTFail("bound a port in use")
        } catch let error as IOError {
            XCTAssertEqual(error.errnoCode, EADDRINUSE)
        }
    }

    func testTasksRunOnTheLoopInOrderAndScheduledTasksFireOrCancel() async throws {
        XCTAssertFalse(loop.inEventLoop)
        let order = NIOLockedValueBox<[String]>([])
        let loop = loop!
        let onLoop = try await loop.submit { loop.inEventLoop }.get()
        XCTAssertTrue(onLoop)
        let late = loop.scheduleTask(in: .milliseconds(60)) { order.withLockedValue { $0.append("late") } }
        let early = loop.scheduleTask(in: .milliseconds(20)) { order.withLockedValue { $0.append("early") } }
        let cancelled = loop.scheduleTask(in: .milliseconds(40)) { order.withLockedValue { $0.append("cancelled") } }
        cancelled.cancel()
        loop.execute { order.withLockedValue { $0.append("now") } }
        try await early.futureResult.get()
        try await late.futureResult.get()
        do {
            try await cancelled.futureResult.get()
            XCTFail("a cancelled task ran")
        } catch let error as EventLoopError {
            XCTAssertEqual(error, .cancelled)
        }
        XCTAssertEqual(order.withLockedValue { $0 }, ["now", "early", "late"])

        let ticks = NIOLockedValueBox(0)
        let repeated = loop.scheduleRepeatedTask(initialDelay: .milliseconds(5), delay: .milliseconds(5)) { _ in
            ticks.withLockedValue { $0 += 1 }
        }
        try await Task.sleep(for: .milliseconds(100))
        repeated.cancel()
        XCTAssertGreaterThanOrEqual(ticks.withLockedValue { $0 }, 3)
    }

    func testShutdownClosesSocketsAndFailsWaitingTasks() async throws {
        let other = try SocketEventLoop(name: "test-udp-2")
        try await Task.sleep(for: .milliseconds(20))
        let before = try Self.openDescriptorCount()
        let sockets = try await other.submit {
            try (0..<3).map { _ in try DatagramLoopSocket.bind(host: "127.0.0.1", port: 0, on: other) }
        }.get()
        XCTAssertEqual(try Self.openDescriptorCount(), before + sockets.count)
        // Futures of a stopped loop cannot be waited on, so the outcome is taken on the loop.
        let outcome = NIOLockedValueBox<Result<Void, any Error>?>(nil)
        other.scheduleTask(in: .hours(1)) {}.futureResult.whenComplete { result in
            outcome.withLockedValue { $0 = result }
        }
        try await other.shutdownGracefully()
        guard case .failure(let error as EventLoopError) = outcome.withLockedValue({ $0 }) else {
            return XCTFail("a task outlived its loop: \(String(describing: outcome.withLockedValue { $0 }))")
        }
        XCTAssertEqual(error, .shutdown)
        // The loop's epoll and eventfd descriptors are closed too.
        XCTAssertEqual(try Self.openDescriptorCount(), before - 2)
    }
}
