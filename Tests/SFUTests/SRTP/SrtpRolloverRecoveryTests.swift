import XCTest

@testable import SFU

/// More than 2^15 consecutive lost packets make RFC 3711's index estimate land one rollover
/// counter short; the OpenSSL backend re-synchronises by also trying ROC + 1 after repeated
/// failures. libsrtp never recovers, which these tests also pin down.
final class SrtpRolloverRecoveryTests: XCTestCase {
    private typealias Support = SrtpTestSupport
    private let ssrc: UInt32 = 0x0BAD_CAFE

    private struct Outcome {
        var verdicts: [SrtpError?] = []
        var firstSuccess: Int? { verdicts.firstIndex(where: { $0 == nil }) }
    }

    /// Sends `before` packets from sequence 60000 (delivered), then `lost` packets (not
    /// delivered), then `after` packets (delivered); returns the verdicts of the last group.
    private func run(
        suite: SrtpCryptoSuite, backend: SrtpBackend, lost: Int, before: Int = 50, after: Int = 30,
        configuration: SrtpSessionConfiguration = SrtpSessionConfiguration()
    ) throws -> (Outcome, SrtpSession, [[UInt8]]) {
        let key = Support.masterKey(suite, seed: 3)
        let sender = try SrtpSession(direction: .outbound, masterKey: key)
        let receiver = try SrtpSession(
            direction: .inbound, masterKey: key, backend: backend, configuration: configuration)
        var step = 0
        func next() -> (plain: [UInt8], protected: [UInt8]) {
            let plain = Support.rtpPacket(
                ssrc: ssrc, sequenceNumber: UInt16(truncatingIfNeeded: 60_000 + step), payloadLength: 20)
            step += 1
            return (plain, Support.protectRtp(sender, plain).srtpSuccess!)
        }
        var early: [[UInt8]] = []
        for _ in 0..<before {
            let packet = next()
            early.append(packet.protected)
            XCTAssertEqual(Support.unprotectRtp(receiver, packet.protected).srtpSuccess, packet.plain)
        }
        for _ in 0..<lost { _ = next() }
        var outcome = Outcome()
        for _ in 0..<after {
            let packet = next()
            let result = Support.unprotectRtp(receiver, packet.protected)
            if let plain = result.srtpSuccess { XCTAssertEqual(plain, packet.plain) }
            outcome.verdicts.append(result.srtpFailure)
        }
        return (outcome, receiver, early)
    }

    /// 40,000 lost: the estimate lands 25,536 packets behind the highest, i.e. "too old".
    func testRecoversAfterLossThatMakesPacketsLookTooOld() throws {
        for suite in [SrtpCryptoSuite.aesCm128HmacSha1_80, .aeadAes128Gcm] {
            let (outcome, receiver, early) = try run(suite: suite, backend: .openssl, lost: 40_000)
            XCTAssertEqual(Array(outcome.verdicts[0..<3]), [.tooOld, .tooOld, .tooOld], "\(suite)")
            XCTAssertEqual(outcome.firstSuccess, 3, "\(suite): the 4th failure in a row tries ROC + 1")
            XCTAssertTrue(outcome.verdicts[3...].allSatisfy { $0 == nil }, "\(suite)")
            let statistics = receiver.statistics(ssrc: ssrc)!
            XCTAssertEqual(statistics.rolloverRecoveries, 1)
            XCTAssertEqual(statistics.rtpPackets, 50 + 27)
            XCTAssertEqual(statistics.tooOldPackets, 3)
            // Traffic from before the gap now reads as ROC 1, and fails authentication.
            XCTAssertEqual(Support.unprotectRtp(receiver, early[49]).srtpFailure, .authenticationFailed)
        }
    }

    /// 70,000 lost: the estimate is ahead of the highest but one ROC short, so the tag fails.
    func testRecoversAfterLossThatMakesAuthenticationFail() throws {
        for suite in [SrtpCryptoSuite.aesCm128HmacSha1_32, .aeadAes256Gcm] {
            let (outcome, receiver, _) = try run(suite: suite, backend: .openssl, lost: 70_000)
            XCTAssertEqual(
                Array(outcome.verdicts[0..<3]), [.authenticationFailed, .authenticationFailed, .authenticationFailed],
                "\(suite)")
            XCTAssertEqual(outcome.firstSuccess, 3, "\(suite)")
            XCTAssertTrue(outcome.verdicts[3...].allSatisfy { $0 == nil }, "\(suite)")
            XCTAssertEqual(receiver.statistics(ssrc: ssrc)?.rolloverRecoveries, 1)
        }
    }

    func testRecoveryThresholdIsConfigurable() throws {
        let configuration = SrtpSessionConfiguration(rolloverRecoveryThreshold: 1)
        let (outcome, _, _) = try run(
            suite: .aesCm128HmacSha1_80, backend: .openssl, lost: 40_000, configuration: configuration)
        XCTAssertEqual(outcome.firstSuccess, 0)
        XCTAssertTrue(outcome.verdicts.allSatisfy { $0 == nil })
    }

    func testRecoveryCanBeDisabled() throws {
        let configuration = SrtpSessionConfiguration(rolloverRecoveryThreshold: 0)
        let (outcome, receiver, _) = try run(
            suite: .aesCm128HmacSha1_80, backend: .openssl, lost: 40_000, configuration: configuration)
        XCTAssertNil(outcome.firstSuccess)
        XCTAssertEqual(receiver.statistics(ssrc: ssrc)?.rolloverRecoveries, 0)
    }

    func testLibsrtpNeverRecovers() throws {
        for lost in [40_000, 70_000] {
            let (outcome, _, _) = try run(suite: .aesCm128HmacSha1_80, backend: .libsrtp, lost: lost)
            XCTAssertNil(outcome.firstSuccess, "libsrtp after \(lost) lost packets")
        }
    }

    func testForgedPacketsDoNotTriggerAResync() throws {
        let key = Support.masterKey(.aeadAes128Gcm, seed: 4)
        let sender = try SrtpSession(direction: .outbound, masterKey: key)
        let receiver = try SrtpSession(direction: .inbound, masterKey: key)
        for sequenceNumber in UInt16(1)...UInt16(40) {
            let packet = Support.protectRtp(sender, Support.rtpPacket(ssrc: ssrc, sequenceNumber: sequenceNumber))
                .srtpSuccess!
            XCTAssertNotNil(Support.unprotectRtp(receiver, packet).srtpSuccess)
        }
        // Garbage with the stream's SSRC and plausible sequence numbers, including ROC + 1 ones.
        for sequenceNumber in UInt16(41)...UInt16(60) {
            var forged =
                Support.rtpPacket(ssrc: ssrc, sequenceNumber: sequenceNumber) + [UInt8](repeating: 0x5A, count: 16)
            forged[30] ^= 0xFF
            XCTAssertEqual(Support.unprotectRtp(receiver, forged).srtpFailure, .authenticationFailed)
        }
        let statistics = receiver.statistics(ssrc: ssrc)!
        XCTAssertEqual(statistics.authenticationFailures, 20)
        XCTAssertEqual(statistics.rolloverRecoveries, 0)
        // The genuine stream continues unharmed.
        let packet = Support.protectRtp(sender, Support.rtpPacket(ssrc: ssrc, sequenceNumber: 41)).srtpSuccess!
        XCTAssertNotNil(Support.unprotectRtp(receiver, packet).srtpSuccess)
    }
}
