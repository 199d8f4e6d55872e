import NIOCore
import XCTest

@testable import SFU

/// A consumer's rewrite of the router's packets: its mid, only the extensions it negotiated, its
/// SSRC, and room for the SRTP trailer, whichever form the packet's extension block has.
final class ConsumerHeaderRewriteTests: XCTestCase {
    private func elements(_ packet: RtpPacket) -> [UInt8: [UInt8]] {
        RtpTestBytes.headerExtensions(packet)
    }

    func testRandomPacketsGetTheMidAndOnlyTheNegotiatedExtensions() throws {
        var random = RtpTestBytes.SeededGenerator(seed: 0xC0FFEE)
        func bytes(_ counts: ClosedRange<Int>) -> [UInt8] {
            (0..<Int.random(in: counts, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        var relaidInOnePass = 0
        for round in 0..<600 {
            // A third of the packets carry a two-byte block (an id above 14 forces it).
            let twoByte = round % 3 == 0
            var source: [UInt8: [UInt8]] = [:]
            for id in UInt8(1)...(twoByte ? 20 : 14) where Bool.random(using: &random) {
                source[id] = bytes(1...16)
            }
            if twoByte { source[UInt8.random(in: 15...20, using: &random)] = bytes(1...16) }
            let payload = bytes(0...40)
            var packet = RtpPacket(
                payloadType: 96, sequenceNumber: 7, timestamp: 8, ssrc: 9, payloadBytes: payload,
                paddingLength: UInt8.random(in: 0...3, using: &random))
            let csrcs = (0..<Int.random(in: 0...2, using: &random)).map { _ in UInt32.random(in: 1...9, using: &random) }
            try packet.setCsrcs(csrcs)
            for (id, value) in source.sorted(by: { $0.key < $1.key }) {
                try packet.setHeaderExtension(id: id, value: value)
            }
            // Some consumers negotiated an id above 14, which a one-byte block cannot carry.
            var negotiated: [UInt8: UInt8] = [:]
            for id in UInt8(1)...(round % 5 == 0 ? 20 : 14) where Bool.random(using: &random) {
                negotiated[id] = id
            }
            let midId = UInt8.random(in: 1...14, using: &random)
            negotiated[midId] = midId
            let mid = String(Int.random(in: 0...99_999, using: &random))
            let rewrite = ConsumerHeaderRewrite(
                mid: (extensionId: midId, value: mid), extensionIdMap: RtpHeaderExtensionIdMap(negotiated))

            let router = packet
            var outgoing = packet
            XCTAssertTrue(rewrite.apply(to: &outgoing, ssrc: 0xABCD))
            if outgoing.headerExtensionForm == .oneByte, router.headerExtensionForm == .oneByte { relaidInOnePass += 1 }

            let reparsed = try RtpPacket(buffer: outgoing.buffer)
            var expected = source.filter { negotiated[$0.key] != nil }
            expected[midId] = Array(mid.utf8)
            XCTAssertEqual(elements(reparsed), expected)
            XCTAssertEqual(reparsed.headerExtensions.count { _ in true }, expected.count)
            XCTAssertEqual(reparsed.mid(extensionId: midId), mid)
            XCTAssertEqual(reparsed.ssrc, 0xABCD)
            XCTAssertEqual(reparsed.csrcs, csrcs)
            XCTAssertEqual(reparsed.sequenceNumber, 7)
            XCTAssertEqual(reparsed.timestamp, 8)
            XCTAssertEqual(RtpTestBytes.bytes(reparsed.payload), payload)
            XCTAssertEqual(reparsed.paddingLength, router.paddingLength)
            XCTAssertEqual(reparsed.headerLength % 4, 0)
            XCTAssertGreaterThanOrEqual(outgoing.buffer.writableBytes, RtpPacket.trailerRoom)
            XCTAssertEqual(elements(router), source, "the router's packet is untouched")
        }
        XCTAssertGreaterThan(relaidInOnePass, 200)
    }

    func testWithoutAMidIdsAreRewrittenInPlace() throws {
        var packet = RtpPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payloadBytes: [1, 2, 3])
        try packet.setHeaderExtension(id: 3, value: [0xAA])
        try packet.setHeaderExtension(id: 4, value: [0xBB, 0xCC])
        let size = packet.size
        let rewrite = ConsumerHeaderRewrite(mid: nil, extensionIdMap: RtpHeaderExtensionIdMap([4: 4]))
        XCTAssertTrue(rewrite.apply(to: &packet, ssrc: 5))
        XCTAssertEqual(packet.size, size)
        XCTAssertEqual(elements(packet), [4: [0xBB, 0xCC]])
        XCTAssertEqual(packet.ssrc, 5)
        XCTAssertGreaterThanOrEqual(packet.buffer.writableBytes, RtpPacket.trailerRoom)
    }
}
