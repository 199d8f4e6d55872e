import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import XCTest
@testable import SFU

/// Two usrsctp associations wired back to back on one loop, as two transports' DTLS would
/// carry their packets.
/// Two associations and what each reported; touched on `loop` only (hence unchecked).
private final class SctpPair: @unchecked Sendable {
    let loop: any EventLoop
    let left: SctpAssociation
    let right: SctpAssociation
    let leftEvents = NIOLockedValueBox<[SctpAssociation.Event]>([])
    let rightEvents = NIOLockedValueBox<[SctpAssociation.Event]>([])
    /// The largest SCTP packet the left association sent.
    let leftLargestPacket = NIOLockedValueBox(0)
    /// Outgoing stream reset requests each side sent (RE-CONFIG chunks).
    let leftResetRequests = NIOLockedValueBox(0)
    let rightResetRequests = NIOLockedValueBox(0)

    static let parameters = SctpParameters(port: 5000, OS: 1024, MIS: 1024, maxMessageSize: 262_144)

    init(loop: any EventLoop, leftParameters: SctpParameters = parameters) {
        self.loop = loop
        left = SctpAssociation(eventLoop: loop, parameters: leftParameters)
        right = SctpAssociation(eventLoop: loop, parameters: Self.parameters)
        // Packets cross on a later loop turn, as they would through sockets.
        left.onOutput = { [weak right, leftLargestPacket, leftResetRequests] packet in
            leftLargestPacket.withLockedValue { $0 = max($0, packet.readableBytes) }
            leftResetRequests.withLockedValue { $0 += Self.outgoingResetRequests(in: packet) }
            loop.execute { [right] in right?.receive(packet) }
        }
        right.onOutput = { [weak left, rightResetRequests] packet in
            rightResetRequests.withLockedValue { $0 += Self.outgoingResetRequests(in: packet) }
            loop.execute { [left] in left?.receive(packet) }
        }
        left.onEvent = { [leftEvents] event in leftEvents.withLockedValue { $0.append(event) } }
        right.onEvent = { [rightEvents] event in rightEvents.withLockedValue { $0.append(event) } }
    }

    func onLoop<T: Sendable>(_ body: @escaping @Sendable (SctpPair) throws -> T) async throws -> T {
        try await loop.submit { try body(self) }.get()
    }

    func waitUntil(_ condition: @escaping @Sendable (SctpPair) -> Bool) async -> Bool {
        for _ in 0..<300 {
            if (try? await onLoop(condition)) == true { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Outgoing SSN Reset Request parameters (type 13) in the RE-CONFIG chunks (type 130) of an
    /// SCTP packet (RFC 6525).
    static func outgoingResetRequests(in packet: ByteBuffer) -> Int {
        let bytes = Array(packet.readableBytesView)
        var count = 0
        var chunk = 12
        while chunk + 4 <= bytes.count {
            let length = Int(bytes[chunk + 2]) << 8 | Int(bytes[chunk + 3])
            guard length >= 4 else { break }
            if bytes[chunk] == 130 {
                var parameter = chunk + 4
                while parameter + 4 <= min(chunk + length, bytes.count) {
                    let type = Int(bytes[parameter]) << 8 | Int(bytes[parameter + 1])
                    let parameterLength = Int(bytes[parameter + 2]) << 8 | Int(bytes[parameter + 3])
                    guard parameterLength >= 4 else { break }
                    if type == 13 { count += 1 }
                    parameter += (parameterLength + 3) & ~3
                }
            }
            chunk += (length + 3) & ~3
        }
        return count
    }

    /// The streams of each reset the peer made on its own, in order.
    @Sendable static func resets(_ events: NIOLockedValueBox<[SctpAssociation.Event]>) -> [[UInt16]] {
        events.withLockedValue { events in
            events.compactMap { if case .incomingStreamsReset(let streams) = $0 { streams } else { nil } }
        }
    }

    static func messages(_ events: NIOLockedValueBox<[SctpAssociation.Event]>) -> [SctpMessage] {
        events.withLockedValue { events in
            events.compactMap { if case .message(let message) = $0 { message } else { nil } }
        }
    }

    func connect() async throws -> Bool {
        try await onLoop {
            $0.left.connect()
            $0.right.connect()
        }
        return await waitUntil { $0.left.state == .connected && $0.right.state == .connected }
    }
}

final class SctpAssociationTests: XCTestCase {
    private var group: MultiThreadedEventLoopGroup!
    private var pair: SctpPair!

    override func setUp() async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        pair = try await loop.submit { SctpPair(loop: loop) }.get()
        let connected = try await pair.connect()
        XCTAssertTrue(connected, "association did not come up")
    }

    override func tearDown() async throws {
        try await pair.onLoop {
            $0.left.close()
            $0.right.close()
        }
        pair = nil
        try await group.shutdownGracefully()
    }

    func testMessagesOfEveryKindCrossInBothDirections() async throws {
        let big = ByteBuffer(bytes: (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try await pair.onLoop {
            try $0.left.send(ByteBuffer(string: "hello"), ppid: .string, streamId: 1)
            try $0.left.send(ByteBuffer(bytes: [0, 1, 2, 255]), ppid: .binary, streamId: 1)
            try $0.left.send(ByteBuffer(), ppid: .string, streamId: 1)
            try $0.left.send(ByteBuffer(), ppid: .emptyBinary, streamId: 1)
            try $0.left.send(big, ppid: .binary, streamId: 3)
            try $0.left.send(ByteBuffer(string: "unordered"), ppid: .string, streamId: 5, ordered: false, maxRetransmits: 0)
            try $0.right.send(ByteBuffer(string: "back"), ppid: .string, streamId: 2, ordered: false, maxPacketLifeTime: 500)
        }
        let arrived = await pair.waitUntil {
            SctpPair.messages($0.rightEvents).count == 6 && SctpPair.messages($0.leftEvents).count == 1
        }
        XCTAssertTrue(arrived)
        let received = SctpPair.messages(pair.rightEvents)
        XCTAssertEqual(received.first { $0.streamId == 1 && $0.ppid == .string }?.payload, ByteBuffer(string: "hello"))
        XCTAssertEqual(received.first { $0.ppid == .binary && $0.streamId == 1 }?.payload, ByteBuffer(bytes: [0, 1, 2, 255]))
        let empty = try XCTUnwrap(received.first { $0.ppid == .emptyString })
        XCTAssertEqual(empty.payload.readableBytes, 0)
        let emptyBinary = try XCTUnwrap(received.first { $0.ppid == .emptyBinary }, "an empty binary message stays binary")
        XCTAssertEqual(emptyBinary.payload.readableBytes, 0)
        XCTAssertEqual(received.first { $0.streamId == 3 }?.payload, big, "200 KB message not intact")
        XCTAssertEqual(received.first { $0.streamId == 5 }?.payload, ByteBuffer(string: "unordered"))
        XCTAssertEqual(SctpPair.messages(pair.leftEvents).first?.payload, ByteBuffer(string: "back"))
    }

    func testOversizedMessageIsRefusedAndTheAssociationCarriesOn() async throws {
        let refused = try await pair.onLoop { pair -> SctpError? in
            do throws(SctpError) {
                try pair.left.send(ByteBuffer(repeating: 7, count: 262_145), ppid: .binary, streamId: 1)
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(refused, SctpError.messageTooLarge(size: 262_145, maxMessageSize: 262_144))
        try await pair.onLoop { try $0.left.send(ByteBuffer(string: "after"), ppid: .string, streamId: 1) }
        let arrived = await pair.waitUntil { SctpPair.messages($0.rightEvents).count == 1 }
        XCTAssertTrue(arrived)
    }

    func testAnIncomingMessageOverMaxMessageSizeIsDroppedWhole() async throws {
        // A peer that ignores our maxMessageSize: its oversized message must not leak through in
        // pieces.
        let loop = group.next()
        let generous = SctpParameters(port: 5000, OS: 1024, MIS: 1024, maxMessageSize: 1_000_000)
        let lax = try await loop.submit { SctpPair(loop: loop, leftParameters: generous) }.get()
        let connected = try await lax.connect()
        XCTAssertTrue(connected)
        try await lax.onLoop {
            try $0.left.send(ByteBuffer(repeating: 0xee, count: 302_144), ppid: .binary, streamId: 1)
            try $0.left.send(ByteBuffer(string: "next"), ppid: .string, streamId: 1)
        }
        let arrived = await lax.waitUntil { SctpPair.messages($0.rightEvents).count >= 1 }
        XCTAssertTrue(arrived)
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertEqual(SctpPair.messages(lax.rightEvents).map(\.payload), [ByteBuffer(string: "next")])
        let dropped = try await lax.onLoop { $0.right.droppedMessages }
        XCTAssertEqual(dropped, 1)
        try await lax.onLoop {
            $0.left.close()
            $0.right.close()
        }
    }

    func testResettingOutgoingStreamsTellsThePeer() async throws {
        try await pair.onLoop {
            try $0.left.send(ByteBuffer(string: "x"), ppid: .string, streamId: 4)
            $0.left.resetOutgoingStreams([4])
        }
        let reset = await pair.waitUntil { pair in
            pair.rightEvents.withLockedValue { events in
                events.contains { if case .incomingStreamsReset(let streams) = $0 { streams == [4] } else { false } }
            }
        }
        XCTAssertTrue(reset)
    }

    /// A closing by the peer is reset back at once (RFC 8831 §6.7) and reported; the peer's
    /// answer to a closing of ours is not, so two associations never reset each other in a loop.
    func testClosingsAreResetBackAndAnswersAreNotReported() async throws {
        let resets = SctpPair.resets
        try await pair.onLoop {
            try $0.left.send(ByteBuffer(string: "x"), ppid: .string, streamId: 6)
            $0.left.resetOutgoingStreams([6])
        }
        let closedByLeft = await pair.waitUntil { resets($0.rightEvents) == [[6]] }
        XCTAssertTrue(closedByLeft)
        // Right answered by itself; the answer reaches left's usrsctp but not its owner.
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertEqual(resets(pair.leftEvents), [])
        XCTAssertEqual(resets(pair.rightEvents), [[6]], "no reset loop")
        XCTAssertEqual(pair.leftResetRequests.withLockedValue { $0 }, 1)
        XCTAssertEqual(pair.rightResetRequests.withLockedValue { $0 }, 1, "right did not reset its side back")

        // The stream carries data again (a new channel on the id), then right closes it.
        try await pair.onLoop {
            try $0.left.send(ByteBuffer(string: "again"), ppid: .string, streamId: 6)
            try $0.right.send(ByteBuffer(string: "reply"), ppid: .string, streamId: 6)
        }
        _ = await pair.waitUntil { SctpPair.messages($0.leftEvents).count == 1 && SctpPair.messages($0.rightEvents).count == 2 }
        try await pair.onLoop { $0.right.resetOutgoingStreams([6]) }
        let closedByRight = await pair.waitUntil { resets($0.leftEvents) == [[6]] }
        XCTAssertTrue(closedByRight)

        // Closing on the left a stream right closed already sends nothing more.
        try await pair.onLoop { $0.left.resetOutgoingStreams([6]) }
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertEqual(resets(pair.rightEvents), [[6]])
        XCTAssertEqual(resets(pair.leftEvents), [[6]])
        XCTAssertEqual(pair.leftResetRequests.withLockedValue { $0 }, 2, "left answered right's closing, once")
        XCTAssertEqual(pair.rightResetRequests.withLockedValue { $0 }, 2)
    }

    /// usrsctp cannot discover the path MTU over DTLS: packets stay within 1 200 bytes, as
    /// mediasoup's, so DTLS and UDP on top still pass a 1 280-byte IPv6 path.
    func testPacketsStayWithinTwelveHundredBytes() async throws {
        let big = ByteBuffer(repeating: 0x5a, count: 50_000)
        try await pair.onLoop { try $0.left.send(big, ppid: .binary, streamId: 1) }
        let arrived = await pair.waitUntil { SctpPair.messages($0.rightEvents).count == 1 }
        XCTAssertTrue(arrived)
        XCTAssertEqual(SctpPair.messages(pair.rightEvents).first?.payload, big)
        let largest = pair.leftLargestPacket.withLockedValue { $0 }
        XCTAssertGreaterThan(largest, 1_100)
        XCTAssertLessThanOrEqual(largest, SctpAssociation.packetSize)
    }

    /// Data the peer sent before our reset reached it does not make its answer look like a
    /// closing of its own: no second round of resets.
    func testDataCrossingOurResetLeavesTheAnswerAnAnswer() async throws {
        try await pair.onLoop {
            try $0.left.send(ByteBuffer(string: "x"), ppid: .string, streamId: 8)
            try $0.right.send(ByteBuffer(string: "in flight"), ppid: .string, streamId: 8)
            $0.left.resetOutgoingStreams([8])
        }
        _ = await pair.waitUntil { SctpPair.resets($0.rightEvents) == [[8]] }
        try await Task.sleep(for: .milliseconds(400))
        XCTAssertEqual(SctpPair.resets(pair.leftEvents), [])
        XCTAssertEqual(pair.leftResetRequests.withLockedValue { $0 }, 1)
        XCTAssertEqual(pair.rightResetRequests.withLockedValue { $0 }, 1)
    }

    func testGarbageIsDroppedAndTheAssociationSurvives() async throws {
        try await pair.onLoop {
            $0.right.receive(ByteBuffer(bytes: [0x13, 0x88, 0x13, 0x88, 1, 2, 3, 4, 0, 0, 0, 0, 0xff, 0xff]))
            $0.right.receive(ByteBuffer(bytes: Array(repeating: 0xab, count: 300)))
            $0.right.receive(ByteBuffer())
            try $0.left.send(ByteBuffer(string: "still here"), ppid: .string, streamId: 1)
        }
        let arrived = await pair.waitUntil { SctpPair.messages($0.rightEvents).count == 1 }
        XCTAssertTrue(arrived)
        let state = try await pair.onLoop { $0.right.state }
        XCTAssertEqual(state, .connected)
    }
}
