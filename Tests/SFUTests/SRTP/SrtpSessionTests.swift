import NIOCore
import XCTest

@testable import SFU

/// Session behaviour common to both backends: bad input, directions, buffers, streams.
final class SrtpSessionTests: XCTestCase {
    private typealias Support = SrtpTestSupport

    private func pair(_ suite: SrtpCryptoSuite, _ backend: SrtpBackend) throws -> (
        sender: SrtpSession, receiver: SrtpSession
    ) {
        let key = Support.masterKey(suite, seed: 11)
        return (
            try SrtpSession(direction: .outbound, masterKey: key, backend: backend),
            try SrtpSession(direction: .inbound, masterKey: key, backend: backend)
        )
    }

    func testWrongDirectionIsRefused() throws {
        for backend in SrtpBackend.allCases {
            let (sender, receiver) = try pair(.aesCm128HmacSha1_80, backend)
            let packet = Support.rtpPacket(ssrc: 1, sequenceNumber: 1)
            XCTAssertEqual(Support.unprotectRtp(sender, packet).srtpFailure, .wrongDirection)
            XCTAssertEqual(Support.protectRtp(receiver, packet).srtpFailure, .wrongDirection)
            XCTAssertEqual(Support.unprotectRtcp(sender, Support.rtcpPacket(ssrc: 1)).srtpFailure, .wrongDirection)
            XCTAssertEqual(Support.protectRtcp(receiver, Support.rtcpPacket(ssrc: 1)).srtpFailure, .wrongDirection)
        }
    }

    func testShortPacketsAreRejectedAndCounted() throws {
        for suite in SrtpCryptoSuite.allCases {
            for backend in SrtpBackend.allCases {
                let (sender, receiver) = try pair(suite, backend)
                XCTAssertEqual(Support.protectRtp(sender, [0x80, 0x00, 0x00]).srtpFailure, .packetTooShort)
                XCTAssertEqual(
                    Support.unprotectRtp(receiver, Array(repeating: 0x80, count: 11)).srtpFailure, .packetTooShort)
                XCTAssertEqual(Support.protectRtcp(sender, [0x80, 200, 0, 1, 0, 0, 0]).srtpFailure, .packetTooShort)
                XCTAssertEqual(Support.unprotectRtcp(receiver, [0x80, 200, 0, 1]).srtpFailure, .packetTooShort)
                XCTAssertEqual(receiver.unattributedStatistics.malformedPackets, 2, "\(suite) \(backend)")
            }
            // Header checks are ours only: libsrtp reports some of these differently.
            let (_, receiver) = try pair(suite, .openssl)
            // Claims 15 CSRCs but has none.
            XCTAssertEqual(
                Support.unprotectRtp(receiver, [0x8F] + Array(repeating: 0, count: 40)).srtpFailure, .packetTooShort)
            // Header extension longer than the packet.
            var extended = Support.rtpPacket(ssrc: 1, sequenceNumber: 1, payloadLength: 20, extensionWords: 1)
            extended[15] = 200
            XCTAssertEqual(Support.unprotectRtp(receiver, extended).srtpFailure, .packetTooShort)
            // Header fine but no room for the tag.
            let headerOnly = Support.rtpPacket(ssrc: 1, sequenceNumber: 1, payloadLength: suite.rtpAuthTagLength - 1)
            XCTAssertEqual(Support.unprotectRtp(receiver, headerOnly).srtpFailure, .packetTooShort)
            let rtcpWithoutTrailer = Support.rtcpPacket(ssrc: 1, extraWords: 2)
            XCTAssertEqual(Support.unprotectRtcp(receiver, rtcpWithoutTrailer).srtpFailure, .packetTooShort)
        }
    }

    func testProtectNeedsRoomForTheTrailer() throws {
        for suite in SrtpCryptoSuite.allCases {
            for backend in SrtpBackend.allCases {
                let (sender, _) = try pair(suite, backend)
                let packet = Support.rtpPacket(ssrc: 1, sequenceNumber: 1)
                XCTAssertEqual(
                    Support.protectRtp(sender, packet, room: suite.rtpTrailerLength - 1).srtpFailure, .bufferTooSmall)
                XCTAssertEqual(
                    Support.protectRtcp(sender, Support.rtcpPacket(ssrc: 1), room: suite.rtcpTrailerLength - 1)
                        .srtpFailure,
                    .bufferTooSmall)
                // Exactly the trailer's room is enough, also for libsrtp (which wants more and
                // then works in its own buffer), and so is plenty of room.
                let tight = Support.protectRtp(sender, packet).srtpSuccess
                XCTAssertEqual(tight?.count, packet.count + suite.rtpTrailerLength)
                let roomy = Support.protectRtp(sender, Support.rtpPacket(ssrc: 1, sequenceNumber: 2), room: 400)
                    .srtpSuccess
                XCTAssertEqual(roomy?.count, packet.count + suite.rtpTrailerLength)
            }
        }
    }

    func testStatisticsArePerStream() throws {
        for backend in SrtpBackend.allCases {
            let (sender, receiver) = try pair(.aeadAes128Gcm, backend)
            var first: [UInt8] = []
            for sequenceNumber in UInt16(0)..<UInt16(10) {
                for ssrc: UInt32 in [100, 200] {
                    let packet = Support.protectRtp(
                        sender, Support.rtpPacket(ssrc: ssrc, sequenceNumber: sequenceNumber)
                    ).srtpSuccess!
                    if ssrc == 100, sequenceNumber == 0 { first = packet }
                    XCTAssertNotNil(Support.unprotectRtp(receiver, packet).srtpSuccess)
                }
            }
            _ = Support.unprotectRtp(receiver, first)
            let rtcp = Support.protectRtcp(sender, Support.rtcpPacket(ssrc: 200)).srtpSuccess!
            XCTAssertNotNil(Support.unprotectRtcp(receiver, rtcp).srtpSuccess)

            XCTAssertEqual(sender.statistics(ssrc: 100)?.rtpPackets, 10)
            XCTAssertEqual(receiver.statistics(ssrc: 100)?.rtpPackets, 10)
            XCTAssertEqual(receiver.statistics(ssrc: 100)?.replayedPackets, 1)
            XCTAssertEqual(receiver.statistics(ssrc: 100)?.droppedPackets, 1)
            XCTAssertEqual(receiver.statistics(ssrc: 200)?.rtcpPackets, 1)
            XCTAssertEqual(receiver.statistics(ssrc: 200)?.replayedPackets, 0)
            XCTAssertNil(receiver.statistics(ssrc: 300))
        }
    }

    func testRemovedStreamStartsOver() throws {
        for backend in SrtpBackend.allCases {
            let (sender, receiver) = try pair(.aesCm128HmacSha1_80, backend)
            let packet = Support.protectRtp(sender, Support.rtpPacket(ssrc: 77, sequenceNumber: 5)).srtpSuccess!
            XCTAssertNotNil(Support.unprotectRtp(receiver, packet).srtpSuccess)
            XCTAssertEqual(Support.unprotectRtp(receiver, packet).srtpFailure, .replayed)
            receiver.removeStream(ssrc: 77)
            XCTAssertNil(receiver.statistics(ssrc: 77))
            XCTAssertNotNil(Support.unprotectRtp(receiver, packet).srtpSuccess, "\(backend)")
            XCTAssertEqual(receiver.statistics(ssrc: 77)?.rtpPackets, 1)
        }
    }

    func testASenderCyclingThroughSsrcsDoesNotGrowTheSession() throws {
        let (sender, receiver) = try pair(.aesCm128HmacSha1_80, .openssl)
        for sequenceNumber in UInt16(0)..<UInt16(20) {
            let packet = Support.protectRtp(sender, Support.rtpPacket(ssrc: 1, sequenceNumber: sequenceNumber)).srtpSuccess!
            XCTAssertNotNil(Support.unprotectRtp(receiver, packet).srtpSuccess)
        }
        let limit = UInt32(OpenSslSrtpSession.maximumStreams)
        // SSRC 1 keeps sending among the newcomers: it stays.
        var live: UInt16 = 20
        for ssrc in 2...(limit * 2) {
            let packet = Support.protectRtp(sender, Support.rtpPacket(ssrc: ssrc, sequenceNumber: 1)).srtpSuccess!
            XCTAssertNotNil(Support.unprotectRtp(receiver, packet).srtpSuccess)
            guard ssrc < limit * 2 - 10 else { continue }
            let livePacket = Support.protectRtp(sender, Support.rtpPacket(ssrc: 1, sequenceNumber: live)).srtpSuccess!
            XCTAssertNotNil(Support.unprotectRtp(receiver, livePacket).srtpSuccess)
            live += 1
        }
        let kept = (1...(limit * 2)).filter { receiver.statistics(ssrc: $0) != nil }
        XCTAssertEqual(kept.count, Int(limit))
        XCTAssertEqual(receiver.statistics(ssrc: 1)?.rtpPackets, UInt64(live), "the live stream stays")
        XCTAssertNil(receiver.statistics(ssrc: 2), "the stream unused longest made room")
        XCTAssertNotNil(receiver.statistics(ssrc: limit * 2), "the newest is kept")
    }

    func testByteBufferRoundTripInPlace() throws {
        for backend in SrtpBackend.allCases {
            for suite in SrtpCryptoSuite.allCases {
                let (sender, receiver) = try pair(suite, backend)
                let plain = Support.rtpPacket(ssrc: 9, sequenceNumber: 300, payloadLength: 500)
                // A datagram that starts after a few bytes already read, with no spare capacity.
                var buffer = ByteBuffer()
                buffer.writeBytes([1, 2, 3] + plain)
                buffer.moveReaderIndex(forwardBy: 3)
                guard case .success(let protectedLength) = sender.protectRtp(&buffer) else {
                    return XCTFail("protect \(suite) \(backend)")
                }
                XCTAssertEqual(protectedLength, plain.count + suite.rtpTrailerLength)
                XCTAssertEqual(buffer.readableBytes, protectedLength)
                XCTAssertNotEqual(Array(buffer.readableBytesView.prefix(plain.count)), plain)
                guard case .success(let length) = receiver.unprotectRtp(&buffer) else {
                    return XCTFail("unprotect \(suite) \(backend)")
                }
                XCTAssertEqual(length, plain.count)
                XCTAssertEqual(Array(buffer.readableBytesView), plain)

                var rtcp = ByteBuffer(bytes: Support.rtcpPacket(ssrc: 9))
                XCTAssertNotNil(sender.protectRtcp(&rtcp).srtpSuccess)
                XCTAssertEqual(rtcp.readableBytes, Support.rtcpPacket(ssrc: 9).count + suite.rtcpTrailerLength)
                XCTAssertNotNil(receiver.unprotectRtcp(&rtcp).srtpSuccess)
                XCTAssertEqual(Array(rtcp.readableBytesView), Support.rtcpPacket(ssrc: 9))
            }
        }
    }

    func testByteBufferIsUntouchedWhenUnprotectFails() throws {
        let (sender, receiver) = try pair(.aeadAes128Gcm, .openssl)
        var buffer = ByteBuffer(bytes: Support.rtpPacket(ssrc: 9, sequenceNumber: 1))
        _ = sender.protectRtp(&buffer)
        buffer.setInteger(buffer.getInteger(at: 20, as: UInt8.self)! ^ 1, at: 20)
        let before = Array(buffer.readableBytesView)
        XCTAssertEqual(receiver.unprotectRtp(&buffer).srtpFailure, .authenticationFailed)
        XCTAssertEqual(Array(buffer.readableBytesView), before)
    }

    func testSrtcpIndexesCountFromOnePerStream() throws {
        let (sender, _) = try pair(.aesCm128HmacSha1_80, .openssl)
        for expected in UInt32(1)...UInt32(3) {
            for ssrc: UInt32 in [1, 2] {
                let packet = Support.protectRtcp(sender, Support.rtcpPacket(ssrc: ssrc)).srtpSuccess!
                let trailer = Array(packet[(packet.count - 14)..<(packet.count - 10)])
                XCTAssertEqual(trailer, Support.bigEndian(0x8000_0000 | expected))
            }
        }
    }

    func testInvalidReplayWindowIsRejected() throws {
        let key = Support.masterKey(.aesCm128HmacSha1_80)
        for size in [0, 32, 100, 32768] {
            XCTAssertThrowsError(
                try SrtpSession(
                    direction: .inbound, masterKey: key, configuration: SrtpSessionConfiguration(replayWindowSize: size)
                )
            ) { error in
                XCTAssertEqual(error as? SrtpConfigurationError, .invalidReplayWindowSize(size))
            }
        }
        for backend in SrtpBackend.allCases {
            XCTAssertNoThrow(
                try SrtpSession(
                    direction: .inbound, masterKey: key, backend: backend,
                    configuration: SrtpSessionConfiguration(replayWindowSize: 1024)))
        }
    }

    func testLargerReplayWindowAcceptsOlderPackets() throws {
        let key = Support.masterKey(.aesCm128HmacSha1_80)
        let sender = try SrtpSession(direction: .outbound, masterKey: key)
        let configuration = SrtpSessionConfiguration(replayWindowSize: 1024)
        let receivers = try SrtpBackend.allCases.map {
            try SrtpSession(direction: .inbound, masterKey: key, backend: $0, configuration: configuration)
        }
        var protected: [[UInt8]] = []
        for sequenceNumber in UInt16(0)..<UInt16(1200) {
            protected.append(
                Support.protectRtp(sender, Support.rtpPacket(ssrc: 8, sequenceNumber: sequenceNumber)).srtpSuccess!)
        }
        for receiver in receivers {
            for (step, packet) in protected.enumerated() where step >= 1 && step < 1100 && step != 200 {
                XCTAssertNotNil(Support.unprotectRtp(receiver, packet).srtpSuccess)
            }
            // 899 behind the highest: too old for 128, inside 1024.
            XCTAssertNotNil(Support.unprotectRtp(receiver, protected[200]).srtpSuccess, "\(receiver.backend)")
            XCTAssertEqual(Support.unprotectRtp(receiver, protected[100]).srtpFailure, .replayed)
            XCTAssertEqual(Support.unprotectRtp(receiver, protected[0]).srtpFailure, .tooOld)
        }
    }
}
