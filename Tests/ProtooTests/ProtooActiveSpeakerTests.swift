import NIOCore
import NIOPosix
import Rooms
import SFU
import XCTest

@testable import Protoo

/// mediasoup-demo's `activeSpeaker`: the loudest audio producer's owner, then `peerId: null`
/// when everyone falls silent.
final class ProtooActiveSpeakerTests: ProtooRoomTestCase {
    func testLoudBroadcasterIsAnnouncedThenSilence() async throws {
        try await withProtoo { port, registry in
            let alice = try await Self.joinedPeer(port: port, peerId: "alice")
            let room = try await registry.room(id: "room1", create: false)
            _ = try await room.addBroadcaster(
                id: "radio", displayName: "Radio", device: DeviceInfo(name: "ffmpeg"), rtpCapabilities: nil)
            guard case .plain(let transport) = try await room.createTransport(
                participantId: "radio", as: .broadcaster, request: .plain(PlainTransportRequest(rtcpMux: true, comedia: true)))
            else { return XCTFail("expected a plain transport") }
            _ = try await room.produce(
                participantId: "radio", as: .broadcaster, transportId: transport.id, kind: .audio,
                rtpParameters: RtpParameters(
                    codecs: [RtpCodecParameters(mimeType: "audio/opus", payloadType: 100, clockRate: 48000, channels: 2)],
                    headerExtensions: [
                        RtpHeaderExtensionParameters(uri: RtpHeaderExtensionUri.ssrcAudioLevel.rawValue, id: 1),
                    ],
                    encodings: [RtpEncodingParameters(ssrc: 4444)]))

            let sender = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).get()
            let destination = try SocketAddress(ipAddress: transport.ip, port: transport.port)
            for index in 0..<30 {
                var packet = RtpPacket(
                    payloadType: 100, sequenceNumber: UInt16(index), timestamp: UInt32(index * 960), ssrc: 4444,
                    marker: false, payloadBytes: [0xFC, 1, 2, 3])
                try packet.setAudioLevel(RtpAudioLevel(voiceActivity: true, level: 30), extensionId: 1)
                try await sender.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: packet.buffer))
                try await Task.sleep(for: .milliseconds(20))
            }
            let speaker = try await alice.client.notification("activeSpeaker")
            XCTAssertEqual(speaker, .object(["peerId": .string("radio"), "volume": .integer(-30)]))
            let silence = try await alice.client.notification("activeSpeaker")
            XCTAssertEqual(silence, .object(["peerId": .null]))
            try await sender.close()
            try await alice.client.close()
        }
    }
}
