import NIOCore
import XCTest
@testable import SFU

/// Key frame requests from many receivers reach the sender aggregated: at most one PLI per
/// second per stream, as mediasoup protects broadcasters from PLI storms.
final class KeyFrameRequestThrottlingTests: EngineTestCase {
    func testPlisFromSeveralConsumersReachSenderAtMostOncePerSecond() async throws {
        let (sendTransport, sender) = try await plainPeer()
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 4444)))
        var stream = RtpTestStream.vp8(ssrc: 4444)
        try await sender.sendRtp(stream.next(keyFrame: true))

        var receivers: [(MediaTestPeer, Consumer)] = []
        for _ in 0..<3 {
            let (transport, peer) = try await plainPeer()
            receivers.append((peer, try await consume(producer, on: transport)))
        }
        let start = ContinuousClock.now
        // Each receiver asks five times within half a second, and the sender keeps sending.
        for _ in 0..<5 {
            for (peer, consumer) in receivers {
                let ssrc = try XCTUnwrap(consumer.rtpParameters.encodings?.first?.ssrc)
                try await peer.sendRtcp([.pictureLossIndication(PictureLossIndication(senderSsrc: 1, mediaSsrc: ssrc))])
            }
            try await sender.sendRtp(stream.next())
            try await Task.sleep(for: .milliseconds(100))
        }
        for _ in 0..<10 {
            try await sender.sendRtp(stream.next())
            try await Task.sleep(for: .milliseconds(100))
        }
        let end = ContinuousClock.now

        let plis = sender.takeRtcp {
            if case .pictureLossIndication(let pli) = $0 { return pli.mediaSsrc == 4444 }
            return false
        }.map(\.arrival)
        XCTAssertFalse(plis.isEmpty, "no PLI reached the sender")
        for (earlier, later) in zip(plis, plis.dropFirst()) {
            // One second apart, less the 40 ms tick the held request waits for and some jitter.
            XCTAssertGreaterThan(later - earlier, .milliseconds(900), "PLIs \(later - earlier) apart")
        }
        let seconds = Double((end - start).components.seconds) + 1
        XCTAssertLessThanOrEqual(Double(plis.count), seconds, "\(plis.count) PLIs in \(end - start)")
        for (_, consumer) in receivers {
            let stats = await consumer.getStats()
            guard case .outbound(let outbound) = stats.first else { return XCTFail("no outbound stats") }
            XCTAssertEqual(outbound.pliCount, 5, "every PLI from the receiver is counted on its consumer")
        }
    }
}
