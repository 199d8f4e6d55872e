import NIOCore
import XCTest

@testable import SFU

final class RtpStreamRecvTests: XCTestCase {
    private func stream(
        useNack: Bool = false, rtxSsrc: UInt32? = nil, usePli: Bool = false, useFir: Bool = false,
        spatialLayers: Int = 1, temporalLayers: Int = 1
    ) -> RtpStreamRecv {
        RtpStreamRecv(
            parameters: RtpStreamRecv.Parameters(
                ssrc: 0x1111, rtxSsrc: rtxSsrc, kind: "video", mimeType: "video/VP8", clockRate: 90_000,
                spatialLayers: spatialLayers, temporalLayers: temporalLayers, useNack: useNack, usePli: usePli,
                useFir: useFir))
    }

    @discardableResult
    private func receive(
        _ stream: inout RtpStreamRecv, _ sequenceNumber: UInt16, timestamp: UInt32 = 0, at milliseconds: Int64 = 0,
        size: Int = 1000, spatialLayer: Int = 0, temporalLayer: Int = 0
    ) -> RtpStreamRecv.Reception {
        stream.receivePacket(
            RtpStreamRecv.PacketInfo(
                sequenceNumber: sequenceNumber, timestamp: timestamp, size: size, spatialLayer: spatialLayer,
                temporalLayer: temporalLayer),
            now: StreamTestTime.at(milliseconds))
    }

    private func senderReport(ntp: UInt64 = StreamTestTime.ntp(seconds: 3_900_000_000, milliseconds: 0)) -> SenderReport {
        var report = SenderReport(ssrc: 0x1111, ntpSeconds: 0, ntpFraction: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0)
        report.ntpTimestamp = ntp
        return report
    }

    func testJitterMatchesHandComputedValue() {
        var stream = stream()
        // 20 ms of media per packet; arrivals at 0, 20, 50, 60 ms: transit 0, 0, 900, 0 ticks.
        receive(&stream, 1, timestamp: 0, at: 0)
        receive(&stream, 2, timestamp: 1800, at: 20)
        receive(&stream, 3, timestamp: 3600, at: 50)
        receive(&stream, 4, timestamp: 5400, at: 60)
        // J = 0 + (900 - 0) / 16 = 56.25; J = 56.25 + (900 - 56.25) / 16 = 108.98...
        XCTAssertEqual(stream.jitterInTimestampUnits, 108)
        XCTAssertEqual(stream.receiverReportBlock(now: StreamTestTime.at(100)).jitter, 108)
    }

    func testLossAndFractionLostFollowRfc3550() {
        var stream = stream()
        for sequenceNumber: UInt16 in 1...10 where sequenceNumber != 3 && sequenceNumber != 7 {
            receive(&stream, sequenceNumber)
        }
        let first = stream.receiverReportBlock(now: StreamTestTime.at(1000))
        XCTAssertEqual(first.ssrc, 0x1111)
        XCTAssertEqual(first.totalLost, 2)
        XCTAssertEqual(first.fractionLost, 51, "(2 << 8) / 10")
        XCTAssertEqual(first.highestSequenceNumber, 10)
        for sequenceNumber: UInt16 in 11...20 { receive(&stream, sequenceNumber) }
        let second = stream.receiverReportBlock(now: StreamTestTime.at(2000))
        XCTAssertEqual(second.totalLost, 2)
        XCTAssertEqual(second.fractionLost, 0)
        XCTAssertEqual(stream.stats(now: StreamTestTime.at(2000)).packetsLost, 2)
    }

    func testExtendedHighestSequenceNumberCountsCycles() {
        var stream = stream()
        for sequenceNumber: UInt16 in [65_534, 65_535, 0, 1] { receive(&stream, sequenceNumber) }
        let block = stream.receiverReportBlock(now: StreamTestTime.at(0))
        XCTAssertEqual(block.highestSequenceNumber, 65_536 + 1)
        XCTAssertEqual(block.totalLost, 0)
    }

    func testLargeJumpIsDiscardedUntilConfirmed() {
        var stream = stream()
        receive(&stream, 100)
        receive(&stream, 101)
        XCTAssertFalse(receive(&stream, 30_000).accepted)
        XCTAssertEqual(stream.packetsDiscarded, 1)
        XCTAssertTrue(receive(&stream, 30_001).accepted, "two in a row: the sender restarted")
        receive(&stream, 30_002)
        let block = stream.receiverReportBlock(now: StreamTestTime.at(0))
        XCTAssertEqual(block.highestSequenceNumber, 30_002)
        XCTAssertEqual(block.totalLost, 0)
    }

    func testReceiverReportEchoesTheLastSenderReport() {
        var stream = stream()
        receive(&stream, 1)
        XCTAssertEqual(stream.receiverReportBlock(now: StreamTestTime.at(0)).lastSenderReport, 0)
        var report = senderReport()
        report.ntpSeconds = 0x1234_5678
        report.ntpFraction = 0x9ABC_DEF0
        report.rtpTimestamp = 777
        stream.receiveSenderReport(report, now: StreamTestTime.at(1000))
        let block = stream.receiverReportBlock(now: StreamTestTime.at(1500))
        XCTAssertEqual(block.lastSenderReport, 0x5678_9ABC)
        XCTAssertEqual(block.delaySinceLastSenderReport, 0x8000, "half a second in 1/65536 s")
        XCTAssertEqual(stream.lastSenderReport?.rtpTimestamp, 777)
        XCTAssertEqual(stream.lastSenderReport?.ntpTimestamp, 0x1234_5678_9ABC_DEF0)
    }

    func testNacksAndRtxRepairsAreCounted() {
        var stream = stream(useNack: true, rtxSsrc: 0x2222)
        receive(&stream, 1)
        receive(&stream, 2)
        XCTAssertEqual(receive(&stream, 5).nackSequenceNumbers, [3, 4])
        let repaired = stream.receiveRtxPacket(
            RtpStreamRecv.PacketInfo(sequenceNumber: 3, timestamp: 0, size: 1002), rtxSequenceNumber: 900,
            now: StreamTestTime.at(30))
        XCTAssertTrue(repaired.accepted)
        let duplicate = stream.receiveRtxPacket(
            RtpStreamRecv.PacketInfo(sequenceNumber: 3, timestamp: 0, size: 1002), rtxSequenceNumber: 901,
            now: StreamTestTime.at(35))
        XCTAssertFalse(duplicate.accepted, "nothing left to repair")
        XCTAssertEqual(stream.poll(now: StreamTestTime.at(120)), [4])

        let stats = stream.stats(now: StreamTestTime.at(120))
        XCTAssertEqual(stats.nackCount, 2)
        XCTAssertEqual(stats.nackPacketCount, 3)
        XCTAssertEqual(stats.packetsRetransmitted, 2)
        XCTAssertEqual(stats.packetsRepaired, 1)
        XCTAssertEqual(stats.packetCount, 4)
        XCTAssertEqual(stats.byteCount, 3 * 1000 + 1002)
        XCTAssertEqual(stats.rtxSsrc, 0x2222)
        XCTAssertEqual(stats.rtxPacketsDiscarded, 0)
    }

    func testRetransmissionOnTheMediaSsrcCountsAsRepairedWithoutRtx() {
        var stream = stream(useNack: true)
        receive(&stream, 1)
        XCTAssertEqual(receive(&stream, 3).nackSequenceNumbers, [2])
        XCTAssertTrue(receive(&stream, 2, at: 40).accepted)
        XCTAssertEqual(stream.packetsRetransmitted, 1)
        XCTAssertEqual(stream.packetsRepaired, 1)
    }

    func testScoreFallsWithLossAndRecovers() {
        var stream = stream()
        var sequenceNumber: UInt16 = 0
        var milliseconds: Int64 = 0
        func interval(losing lossEvery: Int?) {
            for index in 0..<100 {
                sequenceNumber &+= 1
                milliseconds += 10
                if let lossEvery, index % lossEvery == 0 { continue }
                receive(&stream, sequenceNumber, at: milliseconds)
            }
            stream.receiveSenderReport(senderReport(), now: StreamTestTime.at(milliseconds))
        }
        interval(losing: nil)
        XCTAssertEqual(stream.score, 10)
        interval(losing: 5)
        XCTAssertEqual(stream.score, 5, "(1 × 10 + 2 × 3) / 3, the lossy interval scoring 3")
        for _ in 0..<RtpStreamScore.historyLength { interval(losing: nil) }
        XCTAssertEqual(stream.score, 10)
    }

    func testInactivityDropsTheScoreAndActivityRestoresIt() {
        var stream = stream()
        receive(&stream, 1, at: 0)
        XCTAssertEqual(stream.nextTimeout, StreamTestTime.at(0) + RtpStreamRecv.inactivityInterval)
        _ = stream.poll(now: StreamTestTime.at(1499))
        XCTAssertEqual(stream.score, 10)
        _ = stream.poll(now: StreamTestTime.at(1500))
        XCTAssertEqual(stream.score, 0)
        XCTAssertNil(stream.nextTimeout)
        receive(&stream, 2, at: 3000)
        XCTAssertEqual(stream.score, 10)
    }

    func testPauseSuspendsTheInactivityCheckAndPendingNacks() {
        var stream = stream(useNack: true)
        receive(&stream, 1, at: 0)
        XCTAssertEqual(receive(&stream, 3, at: 10).nackSequenceNumbers, [2])
        stream.pause()
        XCTAssertNil(stream.nextTimeout)
        XCTAssertEqual(stream.poll(now: StreamTestTime.at(5000)), [])
        XCTAssertEqual(stream.score, 10)
        stream.resume(now: StreamTestTime.at(6000))
        XCTAssertEqual(stream.nextTimeout, StreamTestTime.at(6000) + RtpStreamRecv.inactivityInterval)
    }

    func testKeyFrameRequestUsesPliOrFir() {
        var pliStream = stream(usePli: true, useFir: true)
        XCTAssertEqual(
            pliStream.requestKeyFrame(), .pictureLossIndication(PictureLossIndication(senderSsrc: 0x1111, mediaSsrc: 0x1111)))
        XCTAssertEqual(pliStream.pliCount, 1)

        var firStream = stream(useFir: true)
        _ = firStream.requestKeyFrame()
        guard case .fullIntraRequest(let fir)? = firStream.requestKeyFrame() else {
            return XCTFail("expected a FIR")
        }
        XCTAssertEqual(fir.entries, [FullIntraRequest.Entry(ssrc: 0x1111, sequenceNumber: 2)])
        XCTAssertEqual(firStream.firCount, 2)

        var neither = stream()
        XCTAssertNil(neither.requestKeyFrame())
    }

    func testBitrateByLayerIsCumulative() {
        var stream = stream(spatialLayers: 2, temporalLayers: 2)
        receive(&stream, 1, at: 0, size: 1000, spatialLayer: 0, temporalLayer: 0)
        receive(&stream, 2, at: 0, size: 500, spatialLayer: 0, temporalLayer: 1)
        receive(&stream, 3, at: 0, size: 2000, spatialLayer: 1, temporalLayer: 0)
        let now = StreamTestTime.at(100)
        let stats = stream.stats(now: now)
        // Bytes over the 2.5 s window: 1000 bytes read as 3200 bps.
        let expected: [String: UInt32] = ["0.0": 3200, "0.1": 4800, "1.0": 11_200, "1.1": 0]
        XCTAssertEqual(stats.bitrate, 11_200)
        XCTAssertEqual(stats.bitrateByLayer, expected)
    }

    func testATopSpatialLayerCountsAsDroppedOnlyWhenMissingFromSeveralPicturesForHalfASecond() {
        func sent(_ stream: RtpStreamRecv, at milliseconds: Int64) -> Int? {
            stream.highestSentSpatialLayer(now: StreamTestTime.at(milliseconds), silence: .milliseconds(500), pictures: 3)
        }
        var sequenceNumber: UInt16 = 0
        /// Picture `index` (timestamp `index × 3000` from `base`) with its lowest `layers` layers.
        func picture(_ stream: inout RtpStreamRecv, _ index: UInt32, base: UInt32 = 0, layers: Int, at milliseconds: Int64) {
            for layer in 0..<layers {
                sequenceNumber &+= 1
                receive(&stream, sequenceNumber, timestamp: base &+ index &* 3000, at: milliseconds, spatialLayer: layer)
            }
        }
        // A screen share at 1 picture/s: between pictures, and while a picture's first layer has
        // come but not its top one, the top layer still counts.
        var slow = stream(spatialLayers: 3)
        XCTAssertNil(sent(slow, at: 0), "nothing received yet")
        for index in 0..<4 { picture(&slow, UInt32(index), layers: 3, at: Int64(index) * 1000) }
        sequenceNumber &+= 1
        receive(&slow, sequenceNumber, timestamp: 4 * 3000, at: 4000, spatialLayer: 0)
        XCTAssertEqual(sent(slow, at: 4010), 2)

        // 30 pictures/s whose top layer stops: dropped after half a second, not before.
        var fast = stream(spatialLayers: 3)
        for index in 0..<10 { picture(&fast, UInt32(index), layers: 3, at: Int64(index) * 33) }
        for index in 10..<40 { picture(&fast, UInt32(index), layers: 2, at: Int64(index) * 33) }
        XCTAssertEqual(sent(fast, at: 9 * 33 + 400), 2)
        XCTAssertEqual(sent(fast, at: 39 * 33), 1)
        // A late repair of an old top-layer packet does not bring the layer back.
        sequenceNumber &+= 1
        receive(&fast, sequenceNumber, timestamp: 5 * 3000, at: 39 * 33 + 1, spatialLayer: 2)
        XCTAssertEqual(sent(fast, at: 39 * 33 + 2), 1)
        // A sender starting its timestamps over far behind counts pictures again.
        let restart = UInt32(0) &- 10_000_000
        for index in 0..<30 { picture(&fast, UInt32(index), base: restart, layers: 3, at: 1300 + Int64(index) * 33) }
        XCTAssertEqual(sent(fast, at: 1300 + 29 * 33), 2)
        for index in 30..<60 { picture(&fast, UInt32(index), base: restart, layers: 2, at: 1300 + Int64(index) * 33) }
        XCTAssertEqual(sent(fast, at: 1300 + 59 * 33), 1, "pictures after the restart were not counted")
    }
}
