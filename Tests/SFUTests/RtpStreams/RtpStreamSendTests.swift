import NIOCore
import XCTest

@testable import SFU

final class RtpStreamSendTests: XCTestCase {
    private func stream(useNack: Bool = true, rtx: RtxSequencer? = nil) -> RtpStreamSend {
        RtpStreamSend(
            parameters: RtpStreamSend.Parameters(
                ssrc: 0x3333, kind: "video", mimeType: "video/VP8", clockRate: 90_000, useNack: useNack),
            rtx: rtx)
    }

    private let nackForSecondPacket = GenericNack(senderSsrc: 1, mediaSsrc: 0x3333, lostSequenceNumbers: [2])

    private func send(_ stream: inout RtpStreamSend, _ sequenceNumbers: ClosedRange<UInt16>, at milliseconds: Int64 = 0) {
        for sequenceNumber in sequenceNumbers {
            stream.sendPacket(
                StreamTestPackets.packet(sequenceNumber: sequenceNumber, timestamp: UInt32(sequenceNumber) * 3000, ssrc: 0x3333),
                now: StreamTestTime.at(milliseconds))
        }
    }

    func testSenderReportExtrapolatesTheTimestampOfTheNewestPacket() throws {
        var stream = stream()
        XCTAssertNil(stream.senderReport(now: StreamTestTime.at(0), ntpNow: 1))
        send(&stream, 1...2, at: 0)
        let ntp = StreamTestTime.ntp(seconds: 3_900_000_000, milliseconds: 250)
        let report = try XCTUnwrap(stream.senderReport(now: StreamTestTime.at(100), ntpNow: ntp))
        XCTAssertEqual(report.ssrc, 0x3333)
        XCTAssertEqual(report.ntpTimestamp, ntp)
        XCTAssertEqual(report.rtpTimestamp, 6000 + 9000)
        XCTAssertEqual(report.packetCount, 2)
        XCTAssertEqual(report.octetCount, 200, "payload bytes only")
    }

    func testReportRoundTripGivesTheRoundTripTime() throws {
        var sender = stream()
        var receiver = RtpStreamRecv(
            parameters: RtpStreamRecv.Parameters(ssrc: 0x3333, kind: "video", mimeType: "video/VP8", clockRate: 90_000))
        send(&sender, 1...1, at: 0)
        _ = receiver.receivePacket(
            RtpStreamRecv.PacketInfo(sequenceNumber: 1, timestamp: 3000, size: 112), now: StreamTestTime.at(20))

        // The sender's wall clock reads `ntp` at its t=100 ms; the link takes 20 ms each way and
        // the receiver holds the report 300 ms before answering.
        let ntp = StreamTestTime.ntp(seconds: 3_900_000_000, milliseconds: 0)
        let report = try XCTUnwrap(sender.senderReport(now: StreamTestTime.at(100), ntpNow: ntp))
        receiver.receiveSenderReport(report, now: StreamTestTime.at(120))
        let block = receiver.receiverReportBlock(now: StreamTestTime.at(420))
        sender.receiveReceiverReport(block, ntpNow: StreamTestTime.ntp(seconds: 3_900_000_000, milliseconds: 340))

        let rtt = try XCTUnwrap(sender.roundTripTime)
        XCTAssertEqual(Double(rtt.nanoseconds) / 1e6, 40, accuracy: 0.1)
        XCTAssertEqual(sender.stats(now: StreamTestTime.at(440)).roundTripTime, 40, accuracy: 0.1)
    }

    func testReportWithoutLastSenderReportKeepsTheRoundTripTimeUnknown() {
        var sender = stream()
        send(&sender, 1...1)
        sender.receiveReceiverReport(ReportBlock(ssrc: 0x3333), ntpNow: StreamTestTime.ntp(seconds: 5, milliseconds: 0))
        XCTAssertNil(sender.roundTripTime)
        XCTAssertEqual(sender.stats(now: StreamTestTime.at(0)).roundTripTime, 0, "0 until measured, as mediasoup")
    }

    func testScoreFallsWithReportedLossAndRecovers() {
        var sender = stream()
        var next: UInt16 = 1
        var totalLost: Int32 = 0
        func interval(lost: Int32) {
            send(&sender, next...(next + 99))
            next += 100
            totalLost += lost
            sender.receiveReceiverReport(ReportBlock(ssrc: 0x3333, totalLost: totalLost), ntpNow: 0)
        }
        interval(lost: 0)
        XCTAssertEqual(sender.score, 10)
        interval(lost: 30)
        XCTAssertLessThan(sender.score, 10)
        let lowest = sender.score
        interval(lost: 0)
        XCTAssertGreaterThanOrEqual(sender.score, lowest)
        for _ in 0..<RtpStreamScore.historyLength { interval(lost: 0) }
        XCTAssertEqual(sender.score, 10)
        XCTAssertEqual(sender.packetsLost, 30)
    }

    func testNackIsAnsweredThroughRtx() {
        var sender = stream(rtx: RtxSequencer(payloadType: 97, ssrc: 0x4444, firstSequenceNumber: 500))
        send(&sender, 100...110)
        let nack = GenericNack(senderSsrc: 1, mediaSsrc: 0x3333, lostSequenceNumbers: [102, 103, 105])
        let retransmissions = sender.receiveNack(nack, now: StreamTestTime.at(10))
        XCTAssertEqual(retransmissions.map(\.sequenceNumber), [500, 501, 502])
        XCTAssertEqual(retransmissions.map(\.rtxOriginalSequenceNumber), [102, 103, 105])
        XCTAssertEqual(Set(retransmissions.map(\.ssrc)), [0x4444])

        XCTAssertEqual(sender.receiveNack(nack, now: StreamTestTime.at(50)).count, 0, "within one RTT")
        XCTAssertEqual(sender.receiveNack(nack, now: StreamTestTime.at(200)).map(\.sequenceNumber), [503, 504, 505])

        let stats = sender.stats(now: StreamTestTime.at(200))
        XCTAssertEqual(stats.nackCount, 3)
        XCTAssertEqual(stats.nackPacketCount, 9)
        XCTAssertEqual(stats.packetsRetransmitted, 6)
        XCTAssertEqual(stats.packetsRepaired, 3)
        XCTAssertEqual(stats.rtxSsrc, 0x4444)
    }

    func testNackIsAnsweredOnTheMediaStreamWithoutRtx() {
        var sender = stream()
        send(&sender, 1...3)
        let packets = sender.receiveNack(nackForSecondPacket, now: StreamTestTime.at(0))
        XCTAssertEqual(packets, [StreamTestPackets.packet(sequenceNumber: 2, timestamp: 6000, ssrc: 0x3333)])
    }

    func testNothingIsStoredWithoutNackOrAfterPause() {
        var withoutNack = stream(useNack: false)
        send(&withoutNack, 1...3)
        XCTAssertEqual(withoutNack.receiveNack(nackForSecondPacket, now: StreamTestTime.at(0)), [])

        var paused = stream()
        send(&paused, 1...3)
        paused.pause()
        XCTAssertEqual(paused.receiveNack(nackForSecondPacket, now: StreamTestTime.at(0)), [])
    }

    func testKeyFrameRequestsAndBitrateAreCounted() {
        var sender = stream()
        sender.receiveKeyFrameRequest(.pictureLossIndication)
        sender.receiveKeyFrameRequest(.fullIntraRequest)
        sender.receiveKeyFrameRequest(.pictureLossIndication)
        send(&sender, 1...10, at: 0)
        let stats = sender.stats(now: StreamTestTime.at(500))
        XCTAssertEqual(stats.pliCount, 2)
        XCTAssertEqual(stats.firCount, 1)
        XCTAssertEqual(stats.packetCount, 10)
        XCTAssertEqual(stats.byteCount, 1120)
        XCTAssertEqual(stats.bitrate, 1120 * 8)
    }
}
