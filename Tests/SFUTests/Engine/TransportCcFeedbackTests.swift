import NIOCore
import XCTest
@testable import SFU

/// A transport tells a producer's sender which of its packets arrived and when (transport-cc
/// feedback), the input of the sender's bandwidth estimate, and how much it may send at most
/// (REMB, from `setMaxIncomingBitrate`).
final class TransportCcFeedbackTests: EngineTestCase {
    func testSenderReceivesFeedbackAboutItsTransportWideSequenceNumbers() async throws {
        let extensionId: UInt8 = 5
        let (sendTransport, sender) = try await plainPeer(srtp: true)
        var parameters = EngineTestFixtures.vp8Parameters(ssrc: 4242)
        parameters.headerExtensions = [
            RtpHeaderExtensionParameters(uri: RtpHeaderExtensionUri.transportWideCc01.rawValue, id: Int(extensionId))
        ]
        _ = try await sendTransport.produce(ProducerOptions(kind: .video, rtpParameters: parameters))

        var stream = RtpTestStream.vp8(ssrc: 4242)
        // Wide sequence numbers 300–309, with 305 lost on the way.
        for wideSequenceNumber in UInt16(300)..<310 {
            var packet = stream.next(keyFrame: wideSequenceNumber == 300)
            guard wideSequenceNumber != 305 else { continue }
            try packet.setTransportWideSequenceNumber(wideSequenceNumber, extensionId: extensionId)
            try await sender.sendRtp(packet)
        }

        func feedback(_ packet: RtcpPacket) -> TransportWideCcFeedback? {
            if case .transportWideCcFeedback(let feedback) = packet { return feedback }
            return nil
        }
        let last = await sender.receiveRtcp(timeout: .seconds(3)) {
            feedback($0)?.packetResults.contains { $0.sequenceNumber == 309 } ?? false
        }
        XCTAssertFalse(last.isEmpty, "no transport-cc feedback about 309 within 3 s")
        // The ten packets may have been described over more than one feedback.
        let all = (sender.takeRtcp { feedback($0) != nil } + last).compactMap { feedback($0.packet) }
        let results = all.flatMap(\.packetResults)
        let arrived = Set(results.filter { $0.arrivalTime != nil }.map(\.sequenceNumber))
        XCTAssertEqual(arrived, Set((300..<310).filter { $0 != 305 }))
        XCTAssertTrue(results.contains { $0.sequenceNumber == 305 && $0.arrivalTime == nil }, "305 was not reported lost")
    }

    func testSenderIsToldTheMaximumIncomingBitrate() async throws {
        let (sendTransport, sender) = try await plainPeer(srtp: true)
        _ = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 5151)))
        var stream = RtpTestStream.vp8(ssrc: 5151)
        try await sender.sendRtp(stream.next(keyFrame: true))

        try await sendTransport.setMaxIncomingBitrate(800_000)
        let remb = await sender.receiveRtcp(timeout: .seconds(3)) {
            if case .remb = $0 { return true }
            return false
        }
        guard case .remb(let announced) = try XCTUnwrap(remb.first, "no REMB within 3 s").packet else {
            return XCTFail("not a REMB")
        }
        XCTAssertEqual(announced.bitrate, 800_000)
        let stats = await sendTransport.getStats()
        XCTAssertEqual(stats.maxIncomingBitrate, 800_000)

        do {
            try await sendTransport.setMaxIncomingBitrate(-1)
            XCTFail("a negative limit was accepted")
        } catch {
            let after = await sendTransport.getStats()
            XCTAssertEqual(after.maxIncomingBitrate, 800_000, "a refused limit changed the one in force")
        }
    }
}
