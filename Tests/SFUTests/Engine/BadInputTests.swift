import NIOCore
import XCTest
@testable import SFU

/// Bad input is dropped and counted where it arrives, never crashes the worker, and never
/// disturbs media flowing between other peers.
final class BadInputTests: EngineTestCase {
    private static func bytes(_ values: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: values)
    }

    private static func randomBytes(count: Int, firstByte: UInt8) -> ByteBuffer {
        bytes([firstByte] + (1..<count).map { _ in UInt8.random(in: 0...255) })
    }

    func testBadPacketsToOnePlainTransportAreCountedWhileAnotherPairFlowsIntact() async throws {
        let (victim, attacker) = try await plainPeer(srtp: true)
        let victimProducer = try await victim.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 9001)))
        let stranger = MediaTestPeer(udp: try await udpEndpoint(), destination: try await address(of: victim))
        let wrongKey = try SrtpSession(
            direction: .outbound, masterKey: try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80))

        let (sendTransport, sender) = try await plainPeer(srtp: true)
        let producer = try await sendTransport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 9002)))
        let (receiveTransport, receiver) = try await plainPeer(srtp: true)
        _ = try await consume(producer, on: receiveTransport)

        var goodStream = RtpTestStream.vp8(ssrc: 9002)
        var victimStream = RtpTestStream.vp8(ssrc: 9001)
        var unknownStream = RtpTestStream.vp8(ssrc: 9999)
        var sent = [goodStream.next(keyFrame: true)]
        try await sender.sendRtp(sent[0])
        let rounds = 20
        for _ in 0..<rounds {
            // SRTP failures: random bytes, a truncated SRTP packet, SRTP under another key.
            try await attacker.sendRaw(Self.randomBytes(count: .random(in: 12...300), firstByte: 0x80))
            try await attacker.sendRaw(try attacker.protectedRtp(victimStream.next()).getSlice(at: 0, length: 14)!)
            var underWrongKey = victimStream.next().buffer
            guard case .success = wrongKey.protectRtp(&underWrongKey) else { return XCTFail("protect failed") }
            try await attacker.sendRaw(underWrongKey)
            // Decrypted but meaningless: an unknown SSRC, and RTCP whose length field lies.
            try await attacker.sendRtp(unknownStream.next())
            try await attacker.sendRtcp(bytes: Self.bytes([0x80, 200, 0x00, 0x40, 0, 0, 0x23, 0x29] + Array(repeating: 0xEE, count: 20)))
            // Too short to be anything; and from an address the transport was not connected to,
            // which its connected socket never takes in (the kernel refuses it, uncounted here).
            try await attacker.sendRaw(Self.bytes([0x80, 0x60, 0x00]))
            try await stranger.sendRaw(Self.randomBytes(count: 100, firstByte: 0x80))

            let packet = goodStream.next()
            sent.append(packet)
            try await sender.sendRtp(packet)
        }
        let forwarded = await receiver.receiveRtp(count: sent.count)
        XCTAssertEqual(forwarded.map(\.payload), sent.map(\.payload), "the other pair's media was disturbed")
        XCTAssertEqual(
            forwarded.map(\.sequenceNumber), (0..<sent.count).map { forwarded[0].sequenceNumber &+ UInt16($0) })

        let counters = try await counters(of: victim) {
            $0.srtpFailures >= 3 * rounds && $0.droppedDatagrams >= rounds && $0.droppedRtp >= rounds
                && $0.droppedRtcp >= rounds
        }
        XCTAssertEqual(counters.srtpFailures, 3 * rounds)
        XCTAssertEqual(counters.droppedDatagrams, rounds)
        XCTAssertEqual(counters.droppedRtp, rounds)
        XCTAssertEqual(counters.droppedRtcp, rounds)

        // The attacked transport itself still works for its own sender.
        try await attacker.sendRtp(victimStream.next(keyFrame: true))
        let received = await BoundedWait.until(timeout: .seconds(2)) {
            await victimProducer.getStats().first?.packetCount == 1
        }
        XCTAssertTrue(received, "the attacked transport stopped receiving its own sender")
        XCTAssertEqual(receiver.undecodable, 0)
    }

    func testWebRtcTransportDropsPacketsFromUnvalidatedTuplesAndKeepsServingItsClient() async throws {
        let transport = try await router.createWebRtcTransport(WebRtcTransportOptions(listenInfos: [Self.loopback]))
        let destination = try SocketAddress(ipAddress: "127.0.0.1", port: Int(transport.iceCandidates[0].port))
        let stranger = MediaTestPeer(udp: try await udpEndpoint(), destination: destination)
        let client = MediaTestPeer(udp: try await udpEndpoint(), destination: destination)

        // Before and after the client connects, a stranger sends DTLS, RTP, an unknown first
        // byte and an empty datagram: none comes from a tuple ICE validated.
        let junk = [
            Self.randomBytes(count: 60, firstByte: 22), Self.randomBytes(count: 60, firstByte: 0x80),
            Self.randomBytes(count: 60, firstByte: 0x50), ByteBuffer(),
        ]
        for datagram in junk { try await stranger.sendRaw(datagram) }
        try await client.connect(to: transport)
        for datagram in junk { try await stranger.sendRaw(datagram) }
        // A STUN-looking datagram that does not parse: the ICE server drops it.
        try await stranger.sendRaw(Self.randomBytes(count: 40, firstByte: 0x00))

        let counters = try await counters(of: transport) { $0.droppedDatagrams >= 2 * junk.count }
        XCTAssertEqual(counters.droppedDatagrams, 2 * junk.count)
        let iceState = await transport.iceState
        XCTAssertEqual(iceState, .completed)

        let producer = try await transport.produce(
            ProducerOptions(kind: .video, rtpParameters: EngineTestFixtures.vp8Parameters(ssrc: 9003)))
        let (plain, receiver) = try await plainPeer()
        _ = try await consume(producer, on: plain)
        var stream = RtpTestStream.vp8(ssrc: 9003)
        try await client.sendRtp(stream.next(keyFrame: true))
        let forwarded = await receiver.receiveRtp(count: 1)
        XCTAssertEqual(forwarded.count, 1, "the client's media stopped flowing")
    }
}
