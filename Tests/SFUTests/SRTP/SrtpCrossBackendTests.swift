import XCTest

@testable import SFU

/// Our OpenSSL transform against libsrtp, the reference: same bytes out, each accepts the
/// other's packets, same verdicts on replays, old packets and tampering.
final class SrtpCrossBackendTests: XCTestCase {
    private typealias Support = SrtpTestSupport

    private func sessions(_ suite: SrtpCryptoSuite, _ direction: SrtpDirection) throws -> (
        openssl: SrtpSession, libsrtp: SrtpSession
    ) {
        let key = Support.masterKey(suite, seed: 7)
        return (
            try SrtpSession(direction: direction, masterKey: key, backend: .openssl),
            try SrtpSession(direction: direction, masterKey: key, backend: .libsrtp)
        )
    }

    /// 3000 packets per stream from sequence 64000 (so the ROC rolls over to 1), two
    /// interleaved SSRCs, with CSRCs and header extensions on some.
    private func rtpPackets() -> [[UInt8]] {
        var packets: [[UInt8]] = []
        for step in 0..<3000 {
            let sequenceNumber = UInt16(truncatingIfNeeded: 64_000 + step)
            packets.append(
                Support.rtpPacket(
                    ssrc: 0x1111_2222, sequenceNumber: sequenceNumber, payloadLength: 100 + step % 1100,
                    csrcCount: step % 7 == 0 ? 2 : 0, extensionWords: step % 5 == 0 ? 3 : 0))
            if step % 3 == 0 {
                packets.append(
                    Support.rtpPacket(
                        ssrc: 0xAABB_CCDD, sequenceNumber: sequenceNumber &+ 1000, payloadLength: 40 + step % 200))
            }
        }
        return packets
    }

    func testBothBackendsProduceIdenticalSrtpAndAcceptEachOthersPackets() throws {
        let packets = rtpPackets()
        for suite in SrtpCryptoSuite.allCases {
            let senders = try sessions(suite, .outbound)
            let receivers = try sessions(suite, .inbound)
            for (number, packet) in packets.enumerated() {
                guard let ours = Support.protectRtp(senders.openssl, packet).srtpSuccess,
                    let theirs = Support.protectRtp(senders.libsrtp, packet).srtpSuccess
                else { return XCTFail("\(suite) protect failed at packet \(number)") }
                XCTAssertEqual(ours, theirs, "\(suite) packet \(number) differs between backends")
                XCTAssertEqual(ours.count, packet.count + suite.rtpAuthTagLength)
                XCTAssertEqual(
                    Support.unprotectRtp(receivers.libsrtp, ours).srtpSuccess, packet,
                    "\(suite) libsrtp ← openssl #\(number)")
                XCTAssertEqual(
                    Support.unprotectRtp(receivers.openssl, theirs).srtpSuccess, packet,
                    "\(suite) openssl ← libsrtp #\(number)")
            }
            XCTAssertEqual(receivers.openssl.statistics(ssrc: 0x1111_2222)?.rtpPackets, 3000)
            XCTAssertEqual(receivers.libsrtp.statistics(ssrc: 0x1111_2222)?.rtpPackets, 3000)
        }
    }

    func testBothBackendsProduceIdenticalSrtcpAndAcceptEachOthersPackets() throws {
        for suite in SrtpCryptoSuite.allCases {
            let senders = try sessions(suite, .outbound)
            let receivers = try sessions(suite, .inbound)
            for number in 0..<300 {
                let ssrc: UInt32 = number % 4 == 0 ? 0x0102_0304 : 0x5566_7788
                let packet = Support.rtcpPacket(
                    ssrc: ssrc, extraWords: 1 + number % 40, seed: UInt8(truncatingIfNeeded: number))
                guard let ours = Support.protectRtcp(senders.openssl, packet).srtpSuccess,
                    let theirs = Support.protectRtcp(senders.libsrtp, packet).srtpSuccess
                else { return XCTFail("\(suite) RTCP protect failed at \(number)") }
                XCTAssertEqual(ours, theirs, "\(suite) RTCP \(number) differs between backends")
                XCTAssertEqual(ours.count, packet.count + suite.rtcpTrailerLength)
                XCTAssertEqual(
                    Support.unprotectRtcp(receivers.libsrtp, ours).srtpSuccess, packet,
                    "\(suite) libsrtp ← openssl #\(number)")
                XCTAssertEqual(
                    Support.unprotectRtcp(receivers.openssl, theirs).srtpSuccess, packet,
                    "\(suite) openssl ← libsrtp #\(number)")
            }
            XCTAssertEqual(receivers.openssl.statistics(ssrc: 0x5566_7788)?.rtcpPackets, 225)
        }
    }

    /// A delivery schedule with reordering, duplicates, a late packet beyond the 128-packet
    /// window and a sequence wrap; both backends must give the same verdict on every packet.
    func testReplayVerdictsMatchLibsrtp() throws {
        for suite in SrtpCryptoSuite.allCases {
            let senders = try sessions(suite, .outbound)
            let receivers = try sessions(suite, .inbound)
            var protected: [[UInt8]] = []
            for step in 0..<700 {
                let packet = Support.rtpPacket(ssrc: 42, sequenceNumber: UInt16(truncatingIfNeeded: 65_300 + step))
                protected.append(Support.protectRtp(senders.openssl, packet).srtpSuccess!)
            }
            var schedule: [Int] = []
            schedule += [0, 2, 1, 1, 3, 0]  // reorder and duplicates
            schedule += Array(4..<300).filter { $0 % 10 != 0 }  // across the wrap at step 236, gaps
            let late = schedule.count
            schedule += [150, 5, 299, 180, 290, 170]  // too old, too old, replay, in window ×2, too old
            schedule += Array(300..<700).filter { $0 % 9 != 0 }
            schedule += [576, 594, 621, 693, 699, 698]  // late ones inside the window, replays

            var verdicts: [SrtpBackend: [String]] = [:]
            for (backend, receiver) in [(SrtpBackend.openssl, receivers.openssl), (.libsrtp, receivers.libsrtp)] {
                verdicts[backend] = schedule.map { step in
                    switch Support.unprotectRtp(receiver, protected[step]) {
                    case .success: "ok"
                    case .failure(let error): "\(error)"
                    }
                }
            }
            XCTAssertEqual(verdicts[.openssl], verdicts[.libsrtp], "\(suite)")
            let ours = verdicts[.openssl]!
            let replayed = SrtpError.replayed.description
            let tooOld = SrtpError.tooOld.description
            XCTAssertEqual(Array(ours[0..<6]), ["ok", "ok", "ok", replayed, "ok", replayed])
            XCTAssertEqual(Array(ours[late..<(late + 6)]), [tooOld, tooOld, replayed, "ok", "ok", tooOld])
            XCTAssertEqual(Array(ours.suffix(6)), ["ok", "ok", "ok", "ok", replayed, replayed])
            let statistics = receivers.openssl.statistics(ssrc: 42)!
            XCTAssertEqual(statistics.tooOldPackets, 3)
            XCTAssertEqual(statistics.replayedPackets, 5)
        }
    }

    func testSrtcpReplayIsRejectedByBothBackends() throws {
        for suite in SrtpCryptoSuite.allCases {
            let senders = try sessions(suite, .outbound)
            let receivers = try sessions(suite, .inbound)
            var protected: [[UInt8]] = []
            for _ in 0..<200 {
                protected.append(Support.protectRtcp(senders.openssl, Support.rtcpPacket(ssrc: 9)).srtpSuccess!)
            }
            for receiver in [receivers.openssl, receivers.libsrtp] {
                XCTAssertNotNil(Support.unprotectRtcp(receiver, protected[0]).srtpSuccess)
                XCTAssertEqual(
                    Support.unprotectRtcp(receiver, protected[0]).srtpFailure, .replayed, "\(receiver.backend)")
                XCTAssertNotNil(Support.unprotectRtcp(receiver, protected[199]).srtpSuccess)
                XCTAssertEqual(
                    Support.unprotectRtcp(receiver, protected[5]).srtpFailure, .tooOld, "\(receiver.backend)")
                XCTAssertNotNil(Support.unprotectRtcp(receiver, protected[150]).srtpSuccess)
            }
        }
    }

    func testTamperedPacketsFailAuthenticationOnBothBackends() throws {
        for suite in SrtpCryptoSuite.allCases {
            let senders = try sessions(suite, .outbound)
            let receivers = try sessions(suite, .inbound)
            let packet = Support.rtpPacket(ssrc: 5, sequenceNumber: 10, extensionWords: 1)
            let protected = Support.protectRtp(senders.openssl, packet).srtpSuccess!
            let rtcp = Support.protectRtcp(senders.openssl, Support.rtcpPacket(ssrc: 5)).srtpSuccess!
            // Header (timestamp), header extension, payload, last tag byte.
            for offset in [5, 18, 40, protected.count - 1] {
                var tampered = protected
                tampered[offset] ^= 0x40
                for receiver in [receivers.openssl, receivers.libsrtp] {
                    XCTAssertEqual(
                        Support.unprotectRtp(receiver, tampered).srtpFailure, .authenticationFailed,
                        "\(suite) \(receiver.backend) byte \(offset)")
                }
            }
            for offset in [1, 12, rtcp.count - 1] {
                var tampered = rtcp
                tampered[offset] ^= 0x02
                for receiver in [receivers.openssl, receivers.libsrtp] {
                    XCTAssertEqual(
                        Support.unprotectRtcp(receiver, tampered).srtpFailure, .authenticationFailed,
                        "\(suite) \(receiver.backend) RTCP byte \(offset)")
                }
            }
            // The genuine packets still pass afterwards.
            for receiver in [receivers.openssl, receivers.libsrtp] {
                XCTAssertEqual(Support.unprotectRtp(receiver, protected).srtpSuccess, packet)
            }
            XCTAssertEqual(receivers.openssl.unattributedStatistics.authenticationFailures, 7)
        }
    }

    func testPacketsFromAnotherKeyFailOnBothBackends() throws {
        for suite in SrtpCryptoSuite.allCases {
            let sender = try SrtpSession(direction: .outbound, masterKey: Support.masterKey(suite, seed: 99))
            let packet = Support.protectRtp(sender, Support.rtpPacket(ssrc: 1, sequenceNumber: 1)).srtpSuccess!
            let receivers = try sessions(suite, .inbound)
            XCTAssertEqual(Support.unprotectRtp(receivers.openssl, packet).srtpFailure, .authenticationFailed)
            XCTAssertEqual(Support.unprotectRtp(receivers.libsrtp, packet).srtpFailure, .authenticationFailed)
            XCTAssertNil(receivers.openssl.statistics(ssrc: 1), "a stream that never authenticated is not kept")
        }
    }

    func testRetransmissionOfAnAlreadySentPacketIsProtectedIdentically() throws {
        for suite in SrtpCryptoSuite.allCases {
            let senders = try sessions(suite, .outbound)
            var sent: [[UInt8]] = []
            for sequenceNumber in UInt16(100)..<UInt16(400) {
                sent.append(
                    Support.protectRtp(senders.openssl, Support.rtpPacket(ssrc: 3, sequenceNumber: sequenceNumber))
                        .srtpSuccess!)
            }
            let again = Support.protectRtp(senders.openssl, Support.rtpPacket(ssrc: 3, sequenceNumber: 350)).srtpSuccess
            XCTAssertEqual(again, sent[250], "\(suite) NACK retransmission without RTX")
            let theirs = Support.protectRtp(senders.libsrtp, Support.rtpPacket(ssrc: 3, sequenceNumber: 350))
                .srtpSuccess
            XCTAssertEqual(theirs, sent[250])
        }
    }
}
