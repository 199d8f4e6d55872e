import NIOCore
import XCTest

@testable import SFU

final class RembTests: XCTestCase {
    /// REMB for 522022 bps (mantissa 0x3FB93, exponent 1) on two SSRCs.
    private let wire: [UInt8] = [
        0x8F, 0xCE, 0x00, 0x06,
        0x12, 0x34, 0x56, 0x78,
        0x00, 0x00, 0x00, 0x00,
        0x52, 0x45, 0x4D, 0x42,
        0x02, 0x07, 0xFB, 0x93,
        0x23, 0x45, 0x67, 0x89,
        0x23, 0x45, 0x67, 0x8A,
    ]

    func testParsesExponentAndMantissa() throws {
        let compound = try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(wire))
        guard case .remb(let remb) = compound.packets.first else { return XCTFail("not REMB") }
        XCTAssertEqual(remb.senderSsrc, 0x1234_5678)
        XCTAssertEqual(remb.bitrate, 522_022)
        XCTAssertEqual(remb.ssrcs, [0x2345_6789, 0x2345_678A])
        XCTAssertEqual(RtpTestBytes.bytes(try compound.serialized()), wire)
    }

    func testEncodesWithSmallestExponent() {
        func encoding(_ bitrate: UInt64) -> (UInt8, UInt32) {
            let encoded = Remb(senderSsrc: 0, bitrate: bitrate, ssrcs: []).exponentAndMantissa
            return (encoded.exponent, encoded.mantissa)
        }
        XCTAssertTrue(encoding(0) == (0, 0))
        XCTAssertTrue(encoding(0x3_FFFF) == (0, 0x3_FFFF))
        XCTAssertTrue(encoding(0x4_0000) == (1, 0x2_0000))
        XCTAssertTrue(encoding(1_000_000) == (2, 250_000))
        XCTAssertTrue(encoding(UInt64.max) == (46, 0x3_FFFF))
    }

    func testUnrepresentableBitratesRoundDown() throws {
        let remb = Remb(senderSsrc: 1, bitrate: 262_145, ssrcs: [9])
        let parsed = try RtcpCompoundPacket(parsing: try RtcpPacket.remb(remb).serialized())
        guard case .remb(let received) = parsed.packets.first else { return XCTFail("not REMB") }
        XCTAssertEqual(received.bitrate, 262_144)
    }

    func testLargeBitratesRoundTrip() throws {
        for bitrate: UInt64 in [30_000, 2_500_000, 1 << 40, 0x3_FFFF << 46] {
            let packet = RtcpPacket.remb(Remb(senderSsrc: 1, bitrate: bitrate, ssrcs: [2]))
            XCTAssertEqual(try RtcpCompoundPacket(parsing: try packet.serialized()).packets, [packet])
        }
    }

    func testRejectsBitrateOverflowingSixtyFourBits() {
        var bytes = wire
        bytes[17] = 0xFF  // exponent 63, mantissa high bits 0b11
        XCTAssertThrowsError(try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(bytes))) { error in
            guard case .malformed(206, _) = error as? RtcpPacketError else { return XCTFail("\(error)") }
        }
    }

    func testRejectsSsrcCountBeyondThePacket() {
        var bytes = wire
        bytes[16] = 3
        XCTAssertThrowsError(try RtcpCompoundPacket(parsing: RtpTestBytes.buffer(bytes))) { error in
            guard case .truncatedBody(206, _, _) = error as? RtcpPacketError else { return XCTFail("\(error)") }
        }
    }
}
