import NIOCore
import XCTest
@testable import SFU

/// DirectTransport: media injected in-process reaches network consumers, network media reaches
/// consumers on the direct transport, and feedback comes back as RTCP.
final class DirectTransportTests: EngineTestCase {
    func testInjectedVp8ReachesAPlainConsumerIntact() async throws {
        let direct = try await router.createDirectTransport()
        let producer = try await direct.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 4242)))
        let (plain, peer) = try await plainPeer()
        let consumer = try await consume(producer, on: plain)

        let source = try SyntheticVideoSource(configuration: .init(payloadType: 96, ssrc: 4242))
        var sent = 0
        for _ in 0..<10 {
            for packet in try source.nextFrame().packets {
                try await producer.send(packet.buffer)
                sent += 1
            }
        }
        let received = await peer.receiveRtp(count: sent)
        XCTAssertEqual(received.count, sent)
        let checker = try SyntheticVideoChecker()
        for packet in received {
            XCTAssertEqual(packet.ssrc, consumer.rtpParameters.encodings?.first?.ssrc)
            checker.receive(packet)
        }
        XCTAssertEqual(checker.report.framesDecoded, 10)
        XCTAssertTrue(checker.report.isIntact, "\(checker.report)")
    }

    func testNetworkMediaReachesAConsumerOnTheDirectTransport() async throws {
        let (plain, peer) = try await plainPeer()
        let producer = try await plain.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 5151)))
        let direct = try await router.createDirectTransport()
        let consumer = try await consume(producer, on: direct)
        let consumerSsrc = try XCTUnwrap(consumer.rtpParameters.encodings?.first?.ssrc)

        let source = try SyntheticVideoSource(configuration: .init(payloadType: 96, ssrc: 5151))
        let frame = try source.nextFrame()
        try await peer.sendRtp(frame.packets)

        var forwarded: [RtpPacket] = []
        for await packet in direct.rtpPackets {
            XCTAssertEqual(packet.ssrc, consumerSsrc)
            XCTAssertEqual(packet.payloadType, EngineTestFixtures.routerVp8PayloadType)
            forwarded.append(packet)
            if forwarded.count == frame.packets.count { break }
        }
        XCTAssertEqual(forwarded.map(\.payload), frame.packets.map(\.payload))
    }

    func testConsumerKeyFrameRequestReachesTheInjectingApplicationAsPli() async throws {
        let direct = try await router.createDirectTransport()
        let producer = try await direct.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 6161)))
        let source = try SyntheticVideoSource(configuration: .init(payloadType: 96, ssrc: 6161))
        for packet in try source.nextFrame().packets { try await producer.send(packet.buffer) }
        let (plain, _) = try await plainPeer()
        let consumer = try await consume(producer, on: plain, paused: true)
        await consumer.resume()

        for await buffer in direct.rtcpPackets {
            let compound = try RtcpCompoundPacket(parsing: buffer)
            let requested = compound.packets.contains { packet in
                if case .pictureLossIndication(let pli) = packet { return pli.mediaSsrc == 6161 }
                return false
            }
            if requested { return }
        }
        XCTFail("no PLI reached the direct transport")
    }

    func testMaxMessageSizeBoundsDataMessagesAndSendOnNetworkProducersIsRefused() async throws {
        // maxMessageSize is about data messages (mediasoup's); RTP of any size is injected.
        let direct = try await router.createDirectTransport(DirectTransportOptions(maxMessageSize: 64))
        let producer = try await direct.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 7171)))
        var stream = RtpTestStream.vp8(ssrc: 7171)
        try await producer.send(stream.next(keyFrame: true).buffer)
        let dataProducer = try await direct.produceData(DataProducerOptions(label: "bot"))
        try await dataProducer.send(ByteBuffer(repeating: 0x61, count: 64))
        do {
            try await dataProducer.send(ByteBuffer(repeating: 0x61, count: 65))
            XCTFail("oversized data message accepted")
        } catch let error as EngineError {
            XCTAssertEqual(error, .invalidArgument("given message exceeds maxMessageSize value [maxMessageSize:64]"))
        }
        do {
            try await direct.sendRtcp(ByteBuffer(repeating: 0x80, count: DirectTransport.maximumRtcpSize + 1))
            XCTFail("oversized RTCP accepted")
        } catch let error as EngineError {
            XCTAssertEqual(error, .invalidArgument("RTCP packet of 1601 bytes exceeds 1600 bytes"))
        }
        let (plain, _) = try await plainPeer()
        let networkProducer = try await plain.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 8181)))
        do {
            try await networkProducer.send(ByteBuffer(repeating: 0x80, count: 20))
            XCTFail("send() accepted on a plain transport's producer")
        } catch let error as EngineError {
            XCTAssertEqual(error, .invalidState("send() is only for producers on a DirectTransport"))
        }
    }
}
