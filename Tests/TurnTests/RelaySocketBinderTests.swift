import NIOCore
import SocketIO
import XCTest

@testable import Turn

/// Relay sockets bound for real on loopback: even ports, the next port held for a token and
/// adopted by the Allocate that presents it, tokens that hold nothing.
final class RelaySocketBinderTests: XCTestCase {
    private var loop: SocketEventLoop!

    override func setUp() async throws {
        loop = try SocketEventLoop(name: "relay-binder-test")
    }

    override func tearDown() async throws {
        try await loop.shutdownGracefully()
    }

    private func bind(_ binder: RelaySocketBinder, _ request: RelayRequest) async throws -> DatagramLoopSocket {
        let loop = self.loop!
        return try await loop.submit { try binder.bind(request, on: loop) }.get()
    }

    private func close(_ socket: DatagramLoopSocket) async throws {
        try await loop.submit { socket.close() }.get()
    }

    func testEvenPortHoldingNextHandsTheNextPortToTheToken() async throws {
        let reservations = RelayPortReservations()
        let binder = RelaySocketBinder(relayIP: "127.0.0.1", ports: 40000...59999, reservations: reservations)
        let rtp = try await bind(binder, RelayRequest(id: 1, family: .ipv4, port: .evenHoldingNext(token: 7, holder: "alice")))
        let port = try XCTUnwrap(rtp.localAddress.port)
        XCTAssertEqual(port % 2, 0)
        XCTAssertEqual(reservations.count, 1)
        XCTAssertThrowsError(
            try UdpSocket.openBound(SocketAddress(ipAddress: "127.0.0.1", port: port + 1), options: .init()),
            "the next port is held")

        let rtcp = try await bind(binder, RelayRequest(id: 2, family: .ipv4, port: .held(token: 7)))
        XCTAssertEqual(rtcp.localAddress.port, port + 1)
        XCTAssertEqual(reservations.count, 0)
        do {
            _ = try await bind(binder, RelayRequest(id: 3, family: .ipv4, port: .held(token: 7)))
            XCTFail("a token holds its port once")
        } catch RelaySocketBinder.BindError.noHeldPort {}
        try await close(rtp)
        try await close(rtcp)
    }

    func testAHeldPortIsLetGoWhenItsTimeRunsOut() async throws {
        let reservations = RelayPortReservations()
        let binder = RelaySocketBinder(relayIP: "127.0.0.1", ports: 40000...59999, reservations: reservations)
        let rtp = try await bind(binder, RelayRequest(id: 1, family: .ipv4, port: .evenHoldingNext(token: 9, holder: "alice")))
        let next = try XCTUnwrap(rtp.localAddress.port) + 1
        reservations.closeExpired(now: Int(time(nil)) + RelayPortReservations.lifetime)
        XCTAssertEqual(reservations.count, 0)
        let reopened = try UdpSocket.openBound(SocketAddress(ipAddress: "127.0.0.1", port: next), options: .init())
        Glibc.close(reopened)
        try await close(rtp)
    }

    func testAUserHoldsOnlySoManyPortsAtOnce() async throws {
        let reservations = RelayPortReservations()
        let binder = RelaySocketBinder(relayIP: "127.0.0.1", ports: 40000...59999, reservations: reservations)
        var sockets: [DatagramLoopSocket] = []
        for token in 0..<UInt64(RelayPortReservations.maximumPerHolder) {
            sockets.append(try await bind(binder, RelayRequest(id: token, family: .ipv4, port: .evenHoldingNext(token: token, holder: "mallory"))))
        }
        do {
            _ = try await bind(binder, RelayRequest(id: 99, family: .ipv4, port: .evenHoldingNext(token: 99, holder: "mallory")))
            XCTFail("one hold too many")
        } catch RelaySocketBinder.BindError.tooManyHeldPorts {}
        sockets.append(try await bind(binder, RelayRequest(id: 100, family: .ipv4, port: .evenHoldingNext(token: 100, holder: "alice"))))
        XCTAssertEqual(reservations.count, RelayPortReservations.maximumPerHolder + 1)
        for socket in sockets { try await close(socket) }
        reservations.closeExpired(now: .max)
    }

    func testAnEvenPortRequestGetsAnEvenPort() async throws {
        let binder = RelaySocketBinder(
            relayIP: "127.0.0.1", ports: 40001...59999, reservations: RelayPortReservations())
        for id in 1...5 {
            let socket = try await bind(binder, RelayRequest(id: RelayID(id), family: .ipv4, port: .even))
            XCTAssertEqual((socket.localAddress.port ?? 1) % 2, 0)
            try await close(socket)
        }
    }
}
