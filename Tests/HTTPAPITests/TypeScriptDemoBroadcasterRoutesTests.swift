import Foundation
import HummingbirdTesting
import NIOCore
import Rooms
import XCTest

/// The TypeScript mediasoup-demo's broadcaster API, as its `gstreamer.sh` and `ffmpeg-receiver.sh`
/// use it, next to the classic one on the same routes.
final class TypeScriptDemoBroadcasterRoutesTests: RoomAPITestCase {
    static let opusCapabilities = #"""
        {"codecs": [{"kind": "audio", "mimeType": "audio/opus", "preferredPayloadType": 100, "clockRate": 48000,
          "channels": 2, "parameters": {"useinbandfec": 1}}]}
        """#

    func testGStreamerScriptFlowProducesAndListsTheProducers() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.send(.get, "/rooms/dev"), .ok)
            try await client.createPeer("gst", in: "dev")
            let audioTransport = try await client.createTransport(for: "gst", in: "dev", direction: "producer", rtcpMux: false)
            let videoTransport = try await client.createTransport(for: "gst", in: "dev", direction: "producer", rtcpMux: false)
            let joined = try await client.send(.post, "/rooms/dev/broadcasters/gst/join")
            XCTAssertStatus(joined, .ok)
            XCTAssertEqual(String(buffer: joined.body), "BroadcasterPeer joined")

            // gstreamer.sh names the transport in the path, the newer API in the body.
            let audio = try await client.send(
                .post, "/rooms/dev/broadcasters/gst/transports/\(audioTransport)/producers",
                json: #"""
                    {"kind": "audio", "appData": {"source": "audio"}, "rtpParameters": {"codecs": [{"mimeType": "audio/opus",
                      "payloadType": 100, "clockRate": 48000, "channels": 2, "parameters": {"sprop-stereo": 1}}],
                      "encodings": [{"ssrc": 1111}]}}
                    """#)
            XCTAssertStatus(audio, .ok)
            let audioProducerId = try XCTUnwrap(audio.jsonObject()["id"] as? String)
            let video = try await client.send(
                .post, "/rooms/dev/broadcasters/gst/producers",
                json: #"""
                    {"transportId": "\#(videoTransport)", "kind": "video", "appData": {"source": "video"},
                      "rtpParameters": {"codecs": [{"mimeType": "video/vp8", "payloadType": 101, "clockRate": 90000,
                      "rtcpFeedback": [{"type": "nack"}, {"type": "nack", "parameter": "pli"}]}], "encodings": [{"ssrc": 2222}]}}
                    """#)
            XCTAssertStatus(video, .created)
            let videoAnswer = try video.jsonObject()
            XCTAssertEqual(Array(videoAnswer.keys), ["producerId"])
            let videoProducerId = try XCTUnwrap(videoAnswer["producerId"] as? String)
            XCTAssertEqual(video.headers[.location], "/rooms/dev/broadcasters/gst/producers/\(videoProducerId)")

            try await client.createPeer("viewer", in: "dev")
            let listed = try await client.send(.get, "/rooms/dev/broadcasters/viewer/peerProducersInfos")
            XCTAssertStatus(listed, .ok)
            let infos = try XCTUnwrap(listed.jsonObject()["peerProducersInfos"] as? [[String: Any]])
            XCTAssertEqual(infos.map { $0["peerId"] as? String }, ["gst"])
            let producers = try XCTUnwrap(infos.first?["producers"] as? [[String: Any]])
            let byId = Dictionary(uniqueKeysWithValues: producers.map { ($0["producerId"] as? String ?? "", $0) })
            XCTAssertEqual(Set(byId.keys), [audioProducerId, videoProducerId])
            XCTAssertEqual(byId[audioProducerId]?["source"] as? String, "audio")
            XCTAssertEqual(byId[videoProducerId]?["kind"] as? String, "video")
            let videoCodecs = try XCTUnwrap(byId[videoProducerId]?["consumableCodecs"] as? [[String: Any]])
            XCTAssertEqual(videoCodecs.first?["mimeType"] as? String, "video/VP8")
            XCTAssertNil(videoCodecs.first?["rtcpFeedback"])
            let ownList = try await client.send(.get, "/rooms/dev/broadcasters/gst/peerProducersInfos")
            let ownInfos = try XCTUnwrap(ownList.jsonObject()["peerProducersInfos"] as? [[String: Any]])
            XCTAssertEqual(ownInfos.map { $0["peerId"] as? String }, ["viewer"], "its own producers are left out")
            XCTAssertEqual((ownInfos.first?["producers"] as? [Any])?.count, 0)
        }
    }

    func testReceiverScriptFlowConsumesWithItsOwnCapabilitiesPausedAndResumes() async throws {
        try await withAPI { client in
            try await client.createPeer("gst", in: "dev")
            let sendTransport = try await client.createTransport(for: "gst", in: "dev", direction: "producer", rtcpMux: true)
            XCTAssertStatus(try await client.send(.post, "/rooms/dev/broadcasters/gst/join"), .ok)
            let produced = try await client.send(
                .post, "/rooms/dev/broadcasters/gst/producers",
                json: #"""
                    {"transportId": "\#(sendTransport)", "kind": "audio", "rtpParameters": {"codecs": [{"mimeType":
                      "audio/opus", "payloadType": 111, "clockRate": 48000, "channels": 2}], "encodings": [{"ssrc": 1111}]}}
                    """#)
            let producerId = try XCTUnwrap(produced.jsonObject()["producerId"] as? String)

            try await client.createPeer("ffmpeg", in: "dev")
            let receiveTransport = try await client.createTransport(
                for: "ffmpeg", in: "dev", direction: "consumer", rtcpMux: false)
            XCTAssertStatus(
                try await client.send(
                    .post, "/rooms/dev/broadcasters/ffmpeg/transports/\(receiveTransport)/connect",
                    json: #"{"ip": "127.0.0.1", "port": 10000, "rtcpPort": 10001}"#),
                .ok)
            XCTAssertStatus(try await client.send(.post, "/rooms/dev/broadcasters/ffmpeg/join"), .ok)

            // ffmpeg-receiver.sh: the producer, the pause and its capabilities in the body.
            let consumed = try await client.send(
                .post, "/rooms/dev/broadcasters/ffmpeg/transports/\(receiveTransport)/consume",
                json: #"{"producerId": "\#(producerId)", "paused": true, "rtpCapabilities": \#(Self.opusCapabilities)}"#)
            XCTAssertStatus(consumed, .created)
            let answer = try consumed.jsonObject()
            XCTAssertEqual(Array(answer.keys), ["consumerId"])
            let consumerId = try XCTUnwrap(answer["consumerId"] as? String)
            // The transport in the path must be the broadcaster's.
            XCTAssertJSONError(
                try await client.send(
                    .post, "/rooms/dev/broadcasters/ffmpeg/transports/nope/resume", json: #"{"consumerId": "\#(consumerId)"}"#),
                .notFound, "transport with id \"nope\" not found")
            let resumed = try await client.send(
                .post, "/rooms/dev/broadcasters/ffmpeg/transports/\(receiveTransport)/resume",
                json: #"{"consumerId": "\#(consumerId)"}"#)
            XCTAssertStatus(resumed, .ok)
            XCTAssertEqual(String(buffer: resumed.body), "Consumer resumed")

            // The newer API: the transport in the body, resume by path.
            let second = try await client.send(
                .post, "/rooms/dev/broadcasters/ffmpeg/consumers",
                json: #"""
                    {"transportId": "\#(receiveTransport)", "producerId": "\#(producerId)", "paused": true,
                      "rtpCapabilities": \#(Self.opusCapabilities)}
                    """#)
            XCTAssertStatus(second, .created)
            let secondId = try XCTUnwrap(second.jsonObject()["consumerId"] as? String)
            XCTAssertEqual(second.headers[.location], "/rooms/dev/broadcasters/ffmpeg/consumers/\(secondId)")
            XCTAssertStatus(try await client.send(.post, "/rooms/dev/broadcasters/ffmpeg/consumers/\(secondId)/resume"), .ok)

            let deleted = try await client.send(.delete, "/rooms/dev/broadcasters/ffmpeg")
            XCTAssertStatus(deleted, .noContent)
            XCTAssertEqual(deleted.body.readableBytes, 0)
            XCTAssertJSONError(
                try await client.send(.delete, "/rooms/dev/broadcasters/ffmpeg"), .notFound,
                #"broadcaster with id "ffmpeg" not found"#)
        }
    }

    func testBadRequestsNameWhatIsWrong() async throws {
        try await withAPI { client in
            try await client.createPeer("gst", in: "dev")
            let transports = "/rooms/dev/broadcasters/gst/transports"
            XCTAssertJSONError(
                try await client.send(.post, transports, json: #"{"direction": "sideways"}"#), .badRequest,
                #"invalid body.direction: expected "producer" or "consumer""#)
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/dev/broadcasters", json: #"{"displayName": "x", "device": {"name": "x"}}"#),
                .badRequest, "missing body.id")
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/dev/broadcasters/nobody/join"), .notFound,
                #"broadcaster with id "nobody" not found"#)
            XCTAssertJSONError(
                try await client.send(
                    .post, "/rooms/dev/broadcasters/gst/producers",
                    json: #"{"kind": "audio", "rtpParameters": {"codecs": [], "encodings": []}}"#),
                .badRequest, "missing body.transportId")
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/dev/broadcasters/gst/consumers", json: #"{"transportId": "t"}"#),
                .badRequest, "missing body.producerId")
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/dev/broadcasters/gst/consumers/nope/resume"), .notFound,
                #"consumer with id "nope" not found"#)
            XCTAssertJSONError(
                try await client.send(.post, "\(transports)/t/resume", json: "{}"), .badRequest, "missing body.consumerId")
            XCTAssertJSONError(
                try await client.send(.get, "/rooms/dev/broadcasters/nobody/peerProducersInfos"), .notFound,
                #"broadcaster with id "nobody" not found"#)
        }
    }
}

/// The TypeScript demo's scripts' first steps.
private extension TestClientProtocol {
    func createPeer(_ peerId: String, in room: String) async throws {
        let created = try await send(
            .post, "/rooms/\(room)/broadcasters",
            json: #"{"peerId": "\#(peerId)", "displayName": "GStreamer", "device": {"name": "GStreamer", "flag": "gstreamer"}}"#)
        XCTAssertStatus(created, .created)
        XCTAssertEqual(created.headers[.location], "/rooms/\(room)/broadcasters/\(peerId)")
        XCTAssertEqual(String(buffer: created.body), "BroadcasterPeer created")
    }

    /// A plain transport created with a direction; answers its id.
    func createTransport(for peerId: String, in room: String, direction: String, rtcpMux: Bool) async throws -> String {
        let created = try await send(
            .post, "/rooms/\(room)/broadcasters/\(peerId)/transports",
            json: #"{"direction": "\#(direction)", "comedia": \#(direction == "producer"), "rtcpMux": \#(rtcpMux)}"#)
        XCTAssertStatus(created, .created)
        let transport = try created.jsonObject()
        XCTAssertEqual(Set(transport.keys), rtcpMux ? ["transportId", "ip", "port"] : ["transportId", "ip", "port", "rtcpPort"])
        XCTAssertEqual(transport["ip"] as? String, "127.0.0.1")
        return try XCTUnwrap(transport["transportId"] as? String)
    }
}
