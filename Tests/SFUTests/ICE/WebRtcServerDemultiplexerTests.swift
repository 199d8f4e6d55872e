import NIOCore
import XCTest

@testable import SFU

final class WebRtcServerDemultiplexerTests: XCTestCase {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    private let dtlsRecord = ByteBuffer(bytes: [0x16, 0xFE, 0xFD] + Array(repeating: 0, count: 10))

    func testLocalUsernameFragmentIsTheValueBeforeTheFirstColon() {
        XCTAssertEqual(IceUsernameFragment.local(fromStunUsername: "local:remote"), "local")
        XCTAssertEqual(IceUsernameFragment.local(fromStunUsername: "local:remote:more"), "local")
        XCTAssertEqual(IceUsernameFragment.local(fromStunUsername: ":remote"), "")
        XCTAssertEqual(IceUsernameFragment.local(fromStunUsername: "nocolon"), "nocolon")
    }

    func testFirstCheckRoutesByUsernameFragmentThenEverythingByTuple() throws {
        var servers = ["a": IceServer(), "b": IceServer()]
        var demultiplexer = WebRtcServerDemultiplexer<String>()
        func applyEvents(of id: String) {
            while let event = servers[id]?.pollEvent() {
                demultiplexer.apply(event, from: id)
            }
        }
        applyEvents(of: "a")
        applyEvents(of: "b")
        let parametersB = try XCTUnwrap(servers["b"]?.parameters)
        let tuple = IceTestTuples.udp(1)

        // Before ICE, media from the tuple has nowhere to go.
        XCTAssertNil(demultiplexer.route(dtlsRecord, tuple: tuple))

        let check = try IceCheck(for: parametersB, useCandidate: true).encoded()
        XCTAssertEqual(demultiplexer.route(check, tuple: tuple), "b")
        XCTAssertNotNil(servers["b"]?.handleStunPacket(check, tuple: tuple, now: start))
        applyEvents(of: "b")

        XCTAssertEqual(demultiplexer.route(dtlsRecord, tuple: tuple), "b")
        XCTAssertEqual(demultiplexer.tuples, [tuple: "b"])
        XCTAssertEqual(
            Set(demultiplexer.localUsernameFragments.keys),
            Set([servers["a"]?.parameters.usernameFragment, parametersB.usernameFragment].compactMap { $0 }))

        // Closing the transport unroutes both its fragment and its tuple.
        servers["b"]?.close()
        applyEvents(of: "b")
        XCTAssertNil(demultiplexer.route(dtlsRecord, tuple: tuple))
        XCTAssertNil(demultiplexer.route(check, tuple: tuple))
        XCTAssertEqual(demultiplexer.localUsernameFragments.count, 1)
    }

    func testKnownTupleWinsOverTheUsernameFragment() throws {
        var demultiplexer = WebRtcServerDemultiplexer<Int>()
        let parameters = IceParameters.random()
        demultiplexer.addLocalUsernameFragment(parameters.usernameFragment, for: 1)
        demultiplexer.addTuple(IceTestTuples.udp(1), for: 2)

        let check = try IceCheck(for: parameters).encoded()

        XCTAssertEqual(demultiplexer.route(check, tuple: IceTestTuples.udp(1)), 2)
        XCTAssertEqual(demultiplexer.route(check, tuple: IceTestTuples.udp(2)), 1)
    }

    func testUnknownFragmentsAndUnknownTuplesAreNotRouted() throws {
        var demultiplexer = WebRtcServerDemultiplexer<Int>()
        demultiplexer.addLocalUsernameFragment("known", for: 1)

        let strangerCheck = try IceCheck(for: IceParameters.random()).encoded()
        XCTAssertNil(demultiplexer.route(strangerCheck, tuple: IceTestTuples.udp(1)))
        var noUsername = IceCheck(for: IceParameters.random())
        noUsername.username = nil
        XCTAssertNil(demultiplexer.route(try noUsername.encoded(), tuple: IceTestTuples.udp(1)))
        XCTAssertNil(demultiplexer.route(ByteBuffer(bytes: [0x80, 0x60, 0, 1]), tuple: IceTestTuples.udp(1)))
        XCTAssertNil(demultiplexer.route(ByteBuffer(), tuple: IceTestTuples.udp(1)))
    }

    func testEntriesBelongToTheTransportThatAddedThem() {
        var demultiplexer = WebRtcServerDemultiplexer<Int>()
        XCTAssertTrue(demultiplexer.addTuple(IceTestTuples.udp(1), for: 1))
        XCTAssertFalse(demultiplexer.addTuple(IceTestTuples.udp(1), for: 2), "the first transport keeps the tuple")
        XCTAssertTrue(demultiplexer.addLocalUsernameFragment("shared", for: 1))
        XCTAssertFalse(demultiplexer.addLocalUsernameFragment("shared", for: 2))

        demultiplexer.removeTuple(IceTestTuples.udp(1), for: 2)
        demultiplexer.removeLocalUsernameFragment("shared", for: 2)
        XCTAssertEqual(demultiplexer.tuples[IceTestTuples.udp(1)], 1)
        XCTAssertEqual(demultiplexer.localUsernameFragments["shared"], 1)

        demultiplexer.addTuple(IceTestTuples.udp(2), for: 2)
        demultiplexer.removeTransport(1)
        XCTAssertEqual(demultiplexer.tuples, [IceTestTuples.udp(2): 2])
        XCTAssertEqual(demultiplexer.localUsernameFragments, [:])
    }
}
