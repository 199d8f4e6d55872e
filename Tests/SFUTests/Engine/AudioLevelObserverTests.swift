import NIOCore
import XCTest
@testable import SFU

/// mediasoup's AudioLevelObserver: average ssrc-audio-level per interval, loudest first,
/// silence reported once.
final class AudioLevelObserverTests: EngineTestCase {
    private static let audioLevelId: UInt8 = 1

    private func audioProducer(ssrc: UInt32) async throws -> (Producer, MediaTestPeer) {
        let (transport, peer) = try await plainPeer()
        var parameters = EngineTestFixtures.opusParameters(ssrc: ssrc)
        parameters.headerExtensions = [
            RtpHeaderExtensionParameters(uri: RtpHeaderExtensionUri.ssrcAudioLevel.rawValue, id: Int(Self.audioLevelId)),
        ]
        let producer = try await transport.produce(ProducerOptions(kind: .audio, rtpParameters: parameters))
        return (producer, peer)
    }

    private func send(_ count: Int, levels: [UInt8], stream: inout RtpTestStream, peer: MediaTestPeer) async throws {
        for index in 0..<count {
            var packet = stream.next()
            try packet.setAudioLevel(
                RtpAudioLevel(voiceActivity: true, level: levels[index % levels.count]), extensionId: Self.audioLevelId)
            try await peer.sendRtp(packet)
        }
    }

    func testLoudestProducerAboveTheThresholdIsReportedThenSilenceOnce() async throws {
        let observer = try await router.createAudioLevelObserver(
            AudioLevelObserverOptions(maxEntries: 1, threshold: -70, interval: 300))
        let events = EventRecorder(observer.events)
        let (loud, loudPeer) = try await audioProducer(ssrc: 7001)
        let (quiet, quietPeer) = try await audioProducer(ssrc: 7002)
        try await observer.addProducer(id: loud.id)
        try await observer.addProducer(id: quiet.id)
        var loudStream = RtpTestStream.opus(ssrc: 7001)
        var quietStream = RtpTestStream.opus(ssrc: 7002)
        // Averages: loud -25 dBov, quiet -60 dBov (both above the threshold; packets may fall into
        // different intervals, so every event is checked, not only the first).
        try await send(10, levels: [25], stream: &loudStream, peer: loudPeer)
        try await send(10, levels: [60], stream: &quietStream, peer: quietPeer)
        let loudReported = await events.wait {
            $0.contains { $0 == .volumes([AudioLevelObserverVolume(producerId: loud.id, volume: -25)]) }
        }
        XCTAssertTrue(loudReported, "\(events.events)")
        for case .volumes(let volumes) in events.events {
            XCTAssertEqual(volumes.count, 1, "maxEntries 1")
            XCTAssertTrue([-25, -60].contains(volumes.first?.volume))
        }

        // Below the threshold only: silence, once.
        try await send(10, levels: [90], stream: &quietStream, peer: quietPeer)
        let silent = await events.wait { $0.last == .silence }
        XCTAssertTrue(silent)
        try await Task.sleep(for: .milliseconds(700))
        let silences = events.events.filter { $0 == .silence }.count
        XCTAssertEqual(silences, 1)
        await observer.close()
    }

    func testOnlyAudioProducersOfTheRouterCanBeObserved() async throws {
        let observer = try await router.createAudioLevelObserver()
        let (plain, _) = try await plainPeer()
        let video = try await plain.produce(ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 1)))
        await XCTAssertThrowsErrorAsync(try await observer.addProducer(id: video.id))
        await XCTAssertThrowsErrorAsync(try await observer.addProducer(id: "nope"))
    }
}
