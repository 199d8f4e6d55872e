import Foundation
import HummingbirdTesting
import NIOCore
import Rooms
import XCTest

/// mediasoup-demo's broadcaster routes against a real worker pool on loopback.
final class BroadcasterRoutesTests: RoomAPITestCase {
    static let vp8Producer = #"""
        {"kind": "video", "rtpParameters": {
          "codecs": [{"mimeType": "video/vp8", "payloadType": 101, "clockRate": 90000}],
          "encodings": [{"ssrc": 2222}]}}
        """#
    static let opusOnlyCapabilities = #"""
        {"codecs": [{"kind": "audio", "mimeType": "audio/opus", "preferredPayloadType": 100,
          "clockRate": 48000, "channels": 2}]}
        """#

    func testAddBroadcasterAnswersOtherPeersWithConsumableProducers() async throws {
        try await withAPI { client in
            let first = try await client.addBroadcaster("ffmpeg", to: "studio")
            XCTAssertStatus(first, .ok)
            XCTAssertEqual(first.headers[.contentType], "application/json")
            XCTAssertEqual((try first.jsonObject()["peers"] as? [Any])?.count, 0)

            let transport = try await client.createTransport(
                for: "ffmpeg", in: "studio", json: #"{"type": "plain", "comedia": true}"#)
            let transportId = try XCTUnwrap(transport["id"] as? String)
            let produced = try await client.send(
                .post, "/rooms/studio/broadcasters/ffmpeg/transports/\(transportId)/producers",
                json: BroadcasterRoutesTests.vp8Producer)
            let producerId = try XCTUnwrap(produced.jsonObject()["id"] as? String)

            let capabilities = String(buffer: try await client.send(.get, "/rooms/studio").body)
            let viewer = try await client.addBroadcaster("viewer", to: "studio", rtpCapabilities: capabilities)
            XCTAssertStatus(viewer, .ok)
            let peers = try XCTUnwrap(viewer.jsonObject()["peers"] as? [[String: Any]])
            XCTAssertEqual(peers.count, 1)
            XCTAssertEqual(peers.first?["id"] as? String, "ffmpeg")
            XCTAssertEqual(peers.first?["displayName"] as? String, "ffmpeg")
            XCTAssertEqual((peers.first?["device"] as? [String: Any])?["name"] as? String, "FFmpeg")
            XCTAssertEqual((peers.first?["device"] as? [String: Any])?["flag"] as? String, "broadcaster", "as mediasoup-demo records it")
            let producers = try XCTUnwrap(peers.first?["producers"] as? [[String: Any]])
            XCTAssertEqual(producers.map { $0["id"] as? String }, [producerId])
            XCTAssertEqual(producers.map { $0["kind"] as? String }, ["video"])

            let audioOnly = try await client.addBroadcaster(
                "radio", to: "studio", rtpCapabilities: BroadcasterRoutesTests.opusOnlyCapabilities)
            let audioPeers = try XCTUnwrap(audioOnly.jsonObject()["peers"] as? [[String: Any]])
            let ffmpeg = try XCTUnwrap(audioPeers.first { $0["id"] as? String == "ffmpeg" })
            XCTAssertEqual((ffmpeg["producers"] as? [Any])?.count, 0, "VP8 is not consumable with opus only")

            let blind = try await client.addBroadcaster("blind", to: "studio")
            XCTAssertEqual(
                (try blind.jsonObject()["peers"] as? [Any])?.count, 0, "without capabilities nobody is listed, as in the demo")

            // 2060-io's clients may leave the device out.
            let deviceless = try await client.send(.post, "/rooms/studio/broadcasters", json: #"{"id": "bare", "displayName": "Bare", "rtpCapabilities": \#(capabilities)}"#)
            XCTAssertStatus(deviceless, .ok)
            let listed = try await client.addBroadcaster("late", to: "studio", rtpCapabilities: capabilities)
            let bare = try XCTUnwrap((listed.jsonObject()["peers"] as? [[String: Any]])?.first { $0["id"] as? String == "bare" })
            XCTAssertEqual((bare["device"] as? [String: Any])?["name"] as? String, "Unknown device")
        }
    }

    func testAddBroadcasterNamesTheMissingField() async throws {
        try await withAPI { client in
            let base = "/rooms/studio/broadcasters"
            XCTAssertJSONError(
                try await client.send(.post, base, json: #"{"displayName": "x", "device": {"name": "y"}}"#),
                .badRequest, "missing body.id")
            XCTAssertJSONError(
                try await client.send(.post, base, json: #"{"id": "", "displayName": "x", "device": {"name": "y"}}"#),
                .badRequest, "missing body.id")
            XCTAssertJSONError(
                try await client.send(.post, base, json: #"{"id": "a", "device": {"name": "y"}}"#),
                .badRequest, "missing body.displayName")
            XCTAssertJSONError(
                try await client.send(.post, base, json: #"{"id": "a", "displayName": "x", "device": {}}"#),
                .badRequest, "missing body.device.name")
            XCTAssertJSONError(
                try await client.send(.post, base, json: #"{"id": 7, "displayName": "x", "device": {"name": "y"}}"#),
                .badRequest, "invalid body.id: expected a string")
            XCTAssertJSONError(
                try await client.send(.post, base, json: "[1, 2"), .badRequest, "request body is not valid JSON")
            XCTAssertJSONError(
                try await client.addBroadcaster(
                    "a", to: "studio", rtpCapabilities: #"{"codecs": [{"mimeType": "video/VP8"}]}"#),
                .badRequest, "missing body.rtpCapabilities.codecs[0].clockRate")
            XCTAssertJSONError(
                try await client.addBroadcaster(
                    "a", to: "studio",
                    rtpCapabilities: #"{"codecs": [{"mimeType": "video/VP8", "clockRate": 90000, "preferredPayloadType": 300}]}"#
                ),
                .badRequest, "invalid codec.preferredPayloadType [preferredPayloadType:300]")
        }
    }

    func testDuplicateBroadcasterIsAConflict() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("cam", to: "studio"), .ok)
            XCTAssertJSONError(
                try await client.addBroadcaster("cam", to: "studio"), .conflict,
                #"broadcaster with id "cam" already exists"#)
        }
    }

    func testFullRoomRefusesAnotherBroadcaster() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.send(.post, "/rooms/duo", json: #"{"maxPeerCount": 2}"#), .created)
            XCTAssertStatus(try await client.addBroadcaster("a", to: "duo"), .ok)
            XCTAssertStatus(try await client.addBroadcaster("b", to: "duo"), .ok)
            XCTAssertJSONError(try await client.addBroadcaster("c", to: "duo"), .conflict, "room is full (maxPeerCount 2)")
        }
    }

    func testBroadcasterRoutesOfAMissingRoomAreNotFoundWithoutAutoCreation() async throws {
        try await withAPI(configuration: RoomsConfiguration(autoCreateRooms: false)) { client in
            XCTAssertJSONError(
                try await client.addBroadcaster("cam", to: "ghost"), .notFound, #"room with id "ghost" not found"#)
            XCTAssertJSONError(
                try await client.send(.delete, "/rooms/ghost/broadcasters/cam"), .notFound,
                #"room with id "ghost" not found"#)
        }
    }

    /// A refused request leaves no room behind: routes of a broadcaster need its room to exist,
    /// and a room made for a broadcaster that is then refused is closed again.
    func testRefusedRequestsOfAMissingRoomCreateNoRoom() async throws {
        try await withAPI { client in
            XCTAssertJSONError(
                try await client.send(.delete, "/rooms/ghost/broadcasters/cam"), .notFound,
                #"room with id "ghost" not found"#)
            XCTAssertJSONError(
                try await client.send(.get, "/rooms/ghost/broadcasters/cam/peerProducersInfos"), .notFound,
                #"room with id "ghost" not found"#)
            let refused = try await client.send(
                .post, "/rooms/ghost/broadcasters",
                json: #"{"id": "cam", "displayName": "c", "device": {"name": "x"}, "rtpCapabilities": {"codecs": [{"kind": "audio", "mimeType": "audio/opus", "clockRate": 48000, "channels": 0}]}}"#)
            XCTAssertStatus(refused, .badRequest)
            let rooms = try await client.send(.get, "/rooms").jsonArray()
            XCTAssertEqual(rooms.count, 0)
        }
    }

    func testDeleteBroadcasterAnswersTextAndForgetsIt() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("stay", to: "studio"), .ok)
            XCTAssertStatus(try await client.addBroadcaster("cam", to: "studio"), .ok)
            let transport = try await client.createTransport(for: "cam", in: "studio", json: #"{"type": "plain"}"#)
            let transportId = try XCTUnwrap(transport["id"] as? String)

            let response = try await client.send(.delete, "/rooms/studio/broadcasters/cam")
            XCTAssertStatus(response, .ok)
            XCTAssertEqual(response.headers[.contentType], "text/plain; charset=utf-8")
            XCTAssertEqual(String(buffer: response.body), "broadcaster deleted")

            let listing = try await client.send(.get, "/rooms").jsonArray()
            XCTAssertEqual((listing.first as? [String: Any])?["peerCount"] as? Int, 1)
            XCTAssertJSONError(
                try await client.send(.delete, "/rooms/studio/broadcasters/cam"), .notFound,
                #"broadcaster with id "cam" not found"#)
            XCTAssertJSONError(
                try await client.send(
                    .post, "/rooms/studio/broadcasters/cam/transports/\(transportId)/producers",
                    json: BroadcasterRoutesTests.vp8Producer),
                .notFound, #"broadcaster with id "cam" not found"#)
        }
    }

    func testPlainTransportAnswersWhereToSendRtpAndRtcp() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("ffmpeg", to: "studio"), .ok)
            let transport = try await client.createTransport(
                for: "ffmpeg", in: "studio", json: #"{"type": "plain", "comedia": true, "rtcpMux": false}"#)
            XCTAssertEqual(Set(transport.keys), ["id", "ip", "port", "rtcpPort"])
            XCTAssertEqual(transport["ip"] as? String, "127.0.0.1")
            let port = try XCTUnwrap(transport["port"] as? Int)
            let rtcpPort = try XCTUnwrap(transport["rtcpPort"] as? Int)
            XCTAssertTrue((40000...49999).contains(port))
            XCTAssertTrue((40000...49999).contains(rtcpPort))
            XCTAssertNotEqual(port, rtcpPort)

            let muxed = try await client.createTransport(
                for: "ffmpeg", in: "studio", json: #"{"type": "plain", "rtcpMux": true}"#)
            XCTAssertNil(muxed["rtcpPort"], "one port for RTP and RTCP")
            XCTAssertNotEqual(muxed["id"] as? String, transport["id"] as? String)
        }
    }

    func testPlainTransportWithSrtpAnswersItsKey() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("gst", to: "studio"), .ok)
            let transport = try await client.createTransport(
                for: "gst", in: "studio",
                json: #"{"type": "plain", "enableSrtp": true, "srtpCryptoSuite": "AEAD_AES_256_GCM"}"#)
            let srtp = try XCTUnwrap(transport["srtpParameters"] as? [String: Any])
            XCTAssertEqual(srtp["cryptoSuite"] as? String, "AEAD_AES_256_GCM")
            let key = try XCTUnwrap(srtp["keyBase64"] as? String)
            XCTAssertEqual(Data(base64Encoded: key)?.count, 44, "256-bit key and 96-bit salt")

            XCTAssertJSONError(
                try await client.send(
                    .post, "/rooms/studio/broadcasters/gst/transports",
                    json: #"{"type": "plain", "enableSrtp": true, "srtpCryptoSuite": "NULL"}"#),
                .badRequest, #"invalid body.srtpCryptoSuite "NULL""#)
        }
    }

    func testWebRtcTransportHasMediasoupShapes() async throws {
        let configuration = RoomsConfiguration(iceServers: { participantId in
            [IceServerDescription(urls: ["turn:127.0.0.1:3478?transport=udp"], username: "u-\(participantId)", credential: "c")]
        })
        try await withAPI(configuration: configuration) { client in
            XCTAssertStatus(try await client.addBroadcaster("obs", to: "studio"), .ok)
            let transport = try await client.createTransport(for: "obs", in: "studio", json: #"{"type": "webrtc"}"#)
            XCTAssertEqual(Set(transport.keys), ["id", "iceParameters", "iceCandidates", "dtlsParameters", "iceServers"])

            let ice = try XCTUnwrap(transport["iceParameters"] as? [String: Any])
            XCTAssertEqual((ice["usernameFragment"] as? String)?.count, 32)
            XCTAssertEqual((ice["password"] as? String)?.count, 32)
            XCTAssertEqual(ice["iceLite"] as? Bool, true)

            let candidates = try XCTUnwrap(transport["iceCandidates"] as? [[String: Any]])
            XCTAssertEqual(candidates.compactMap { $0["protocol"] as? String }.sorted(), ["tcp", "udp"])
            for candidate in candidates {
                let transportProtocol = try XCTUnwrap(candidate["protocol"] as? String)
                XCTAssertEqual(candidate["foundation"] as? String, "\(transportProtocol)candidate")
                XCTAssertEqual(candidate["address"] as? String, "127.0.0.1")
                XCTAssertEqual(candidate["ip"] as? String, "127.0.0.1")
                XCTAssertEqual(candidate["type"] as? String, "host")
                XCTAssertTrue((40000...49999).contains(try XCTUnwrap(candidate["port"] as? Int)))
                XCTAssertGreaterThan(try XCTUnwrap(candidate["priority"] as? Int), 0)
                XCTAssertEqual(candidate["tcpType"] as? String, transportProtocol == "tcp" ? "passive" : nil)
            }

            let dtls = try XCTUnwrap(transport["dtlsParameters"] as? [String: Any])
            XCTAssertEqual(dtls["role"] as? String, "auto")
            let fingerprints = try XCTUnwrap(dtls["fingerprints"] as? [[String: String]])
            XCTAssertEqual(
                Set(fingerprints.compactMap { $0["algorithm"] }), ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"])
            let sha256 = try XCTUnwrap(fingerprints.first { $0["algorithm"] == "sha-256" }?["value"])
            XCTAssertNotNil(sha256.wholeMatch(of: /([0-9A-F]{2}:){31}[0-9A-F]{2}/), sha256)

            let iceServers = try XCTUnwrap(transport["iceServers"] as? [[String: Any]])
            XCTAssertEqual(iceServers.first?["urls"] as? [String], ["turn:127.0.0.1:3478?transport=udp"])
            XCTAssertEqual(iceServers.first?["username"] as? String, "u-obs")
            XCTAssertEqual(iceServers.first?["credential"] as? String, "c")
        }
    }

    func testTransportRequestsAreValidated() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("cam", to: "studio"), .ok)
            let uri = "/rooms/studio/broadcasters/cam/transports"
            XCTAssertJSONError(try await client.send(.post, uri, json: #"{"type": "sctp"}"#), .badRequest, "invalid type")
            XCTAssertJSONError(try await client.send(.post, uri, json: "{}"), .badRequest, "missing body.type")
            XCTAssertJSONError(
                try await client.send(.post, uri, json: #"{"type": "plain", "comedia": "yes"}"#), .badRequest,
                "invalid body.comedia: expected a boolean")
            XCTAssertJSONError(
                try await client.send(
                    .post, uri, json: #"{"type": "webrtc", "sctpCapabilities": {"numStreams": {"OS": 0, "MIS": 1024}}}"#),
                .badRequest, "numStreams")
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/studio/broadcasters/nobody/transports", json: #"{"type": "plain"}"#),
                .notFound, #"broadcaster with id "nobody" not found"#)
        }
    }

    func testConnectWebRtcTransportOnceOnly() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("obs", to: "studio"), .ok)
            let transport = try await client.createTransport(for: "obs", in: "studio", json: #"{"type": "webrtc"}"#)
            let uri = "/rooms/studio/broadcasters/obs/transports/\(try XCTUnwrap(transport["id"] as? String))/connect"
            let fingerprint = (0..<32).map { _ in "AB" }.joined(separator: ":")
            let dtls = #"{"dtlsParameters": {"role": "client", "fingerprints": [{"algorithm": "sha-256", "value": "\#(fingerprint)"}]}}"#

            XCTAssertJSONError(
                try await client.send(.post, uri, json: #"{"dtlsParameters": {"role": "client", "fingerprints": []}}"#),
                .badRequest, "invalid body.dtlsParameters.fingerprints: empty")
            XCTAssertJSONError(
                try await client.send(
                    .post, uri, json: #"{"dtlsParameters": {"fingerprints": [{"algorithm": "md5", "value": "AB"}]}}"#),
                .badRequest, "body.dtlsParameters.fingerprints[0].algorithm")
            XCTAssertJSONError(try await client.send(.post, uri, json: "{}"), .badRequest, "missing body.dtlsParameters")

            let connected = try await client.send(.post, uri, json: dtls)
            XCTAssertStatus(connected, .ok)
            XCTAssertEqual(connected.body.readableBytes, 0)
            XCTAssertJSONError(try await client.send(.post, uri, json: dtls), .conflict, "connect() already called")
        }
    }

    func testConnectNamesTheWrongTransport() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("cam", to: "studio"), .ok)
            let plain = try await client.createTransport(for: "cam", in: "studio", json: #"{"type": "plain"}"#)
            let plainId = try XCTUnwrap(plain["id"] as? String)
            let dtls = #"{"dtlsParameters": {"fingerprints": [{"algorithm": "sha-256", "value": "AB:CD"}]}}"#
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/studio/broadcasters/cam/transports/\(plainId)/connect", json: dtls),
                .badRequest, #"transport with id "\#(plainId)" is not a WebRtcTransport"#)
            XCTAssertJSONError(
                try await client.send(.post, "/rooms/studio/broadcasters/cam/transports/nope/connect", json: dtls),
                .notFound, #"transport with id "nope" not found"#)
        }
    }

    func testConnectPlainTransportValidatesTheRemoteAddressAndRefusesASecondConnect() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("cam", to: "studio"), .ok)
            let plain = try await client.createTransport(
                for: "cam", in: "studio", json: #"{"type": "plain", "comedia": false, "rtcpMux": false}"#)
            let uri = "/rooms/studio/broadcasters/cam/transports/\(try XCTUnwrap(plain["id"] as? String))/connect"
            XCTAssertJSONError(
                try await client.send(.post, uri, json: #"{"ip": "127.0.0.1", "port": 5004}"#), .badRequest,
                "missing or invalid rtcpPort (rtcpMux disabled)")
            XCTAssertJSONError(
                try await client.send(.post, uri, json: #"{"ip": "not an ip", "port": 5004, "rtcpPort": 5005}"#),
                .badRequest, "invalid ip 'not an ip'")
            XCTAssertJSONError(
                try await client.send(.post, uri, json: #"{"ip": "127.0.0.1", "port": 70000, "rtcpPort": 5005}"#),
                .badRequest, "missing or invalid port")
            let remote = #"{"ip": "127.0.0.1", "port": 5004, "rtcpPort": 5005}"#
            XCTAssertStatus(try await client.send(.post, uri, json: remote), .ok)
            XCTAssertJSONError(try await client.send(.post, uri, json: remote), .conflict, "connect() already called")
        }
    }

    func testProduceValidatesKindAndRtpParameters() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("cam", to: "studio"), .ok)
            let plain = try await client.createTransport(for: "cam", in: "studio", json: #"{"type": "plain"}"#)
            let uri = "/rooms/studio/broadcasters/cam/transports/\(try XCTUnwrap(plain["id"] as? String))/producers"
            XCTAssertJSONError(
                try await client.send(
                    .post, uri, json: #"{"kind": "data", "rtpParameters": {"codecs": []}}"#),
                .badRequest, #"invalid body.kind: expected "audio" or "video""#)
            XCTAssertJSONError(try await client.send(.post, uri, json: #"{"kind": "video"}"#), .badRequest, "missing body.rtpParameters")
            XCTAssertJSONError(
                try await client.send(
                    .post, uri,
                    json: #"{"kind": "video", "rtpParameters": {"codecs": [{"mimeType": "video/VP8", "payloadType": "101", "clockRate": 90000}]}}"#),
                .badRequest, "invalid body.rtpParameters.codecs[0].payloadType: expected a number")
            XCTAssertJSONError(
                try await client.send(
                    .post, uri,
                    json: #"{"kind": "video", "rtpParameters": {"codecs": [{"mimeType": "video/VP8", "payloadType": 300, "clockRate": 90000}]}}"#),
                .badRequest, "invalid codec.payloadType [payloadType:300]")
            XCTAssertJSONError(
                try await client.send(
                    .post, uri,
                    json: #"{"kind": "video", "rtpParameters": {"codecs": [{"mimeType": "video/H265", "payloadType": 120, "clockRate": 90000}], "encodings": [{"ssrc": 3333}]}}"#),
                .unprocessableContent, "unsupported codec [mimeType:video/H265, payloadType:120]")
            XCTAssertJSONError(
                try await client.send(
                    .post, uri,
                    json: #"{"kind": "audio", "rtpParameters": {"codecs": [{"mimeType": "audio/opus", "payloadType": 100, "clockRate": 48000, "channels": 2}], "encodings": [{"ssrc": -1}]}}"#),
                .badRequest, "a number is negative, fractional or too large for its field")
            XCTAssertStatus(try await client.send(.post, uri, json: BroadcasterRoutesTests.vp8Producer), .ok)
            XCTAssertJSONError(
                try await client.send(.post, uri, json: BroadcasterRoutesTests.vp8Producer), .badRequest,
                "ssrc already exists in RTP listener [ssrc:2222]")
            XCTAssertJSONError(
                try await client.send(
                    .post, "/rooms/studio/broadcasters/cam/transports/missing/producers",
                    json: BroadcasterRoutesTests.vp8Producer),
                .notFound, #"transport with id "missing" not found"#)
        }
    }

    /// The ffmpeg broadcaster flow, then a second broadcaster consuming what the first sends.
    func testPlainTransportFlowFromProduceToConsume() async throws {
        try await withAPI { client in
            let capabilities = try await client.send(.get, "/rooms/studio")
            XCTAssertStatus(capabilities, .ok)
            XCTAssertStatus(try await client.addBroadcaster("ffmpeg", to: "studio"), .ok)
            let sendTransport = try await client.createTransport(
                for: "ffmpeg", in: "studio", json: #"{"type": "plain", "comedia": false, "rtcpMux": false}"#)
            let sendId = try XCTUnwrap(sendTransport["id"] as? String)
            let connected = try await client.send(
                .post, "/rooms/studio/broadcasters/ffmpeg/transports/\(sendId)/connect",
                json: #"{"ip": "127.0.0.1", "port": 5004, "rtcpPort": 5005}"#)
            XCTAssertStatus(connected, .ok)
            let produced = try await client.send(
                .post, "/rooms/studio/broadcasters/ffmpeg/transports/\(sendId)/producers",
                json: BroadcasterRoutesTests.vp8Producer)
            XCTAssertStatus(produced, .ok)
            XCTAssertEqual(produced.headers[.contentType], "application/json")
            let producerBody = try produced.jsonObject()
            XCTAssertEqual(Array(producerBody.keys), ["id"])
            let producerId = try XCTUnwrap(producerBody["id"] as? String)

            let viewer = try await client.addBroadcaster(
                "viewer", to: "studio", rtpCapabilities: String(buffer: capabilities.body))
            XCTAssertStatus(viewer, .ok)
            let receiveTransport = try await client.createTransport(
                for: "viewer", in: "studio", json: #"{"type": "plain", "comedia": true, "rtcpMux": true}"#)
            let receiveId = try XCTUnwrap(receiveTransport["id"] as? String)
            let consumed = try await client.send(
                .post, "/rooms/studio/broadcasters/viewer/transports/\(receiveId)/consume?producerId=\(producerId)")
            XCTAssertStatus(consumed, .ok)
            XCTAssertEqual(consumed.headers[.contentType], "application/json")
            let consumer = try consumed.jsonObject()
            XCTAssertEqual(Set(consumer.keys), ["id", "producerId", "kind", "rtpParameters", "type"])
            XCTAssertNotNil(consumer["id"] as? String)
            XCTAssertNotEqual(consumer["id"] as? String, producerId)
            XCTAssertEqual(consumer["producerId"] as? String, producerId)
            XCTAssertEqual(consumer["kind"] as? String, "video")
            XCTAssertEqual(consumer["type"] as? String, "simple")
            let rtpParameters = try XCTUnwrap(consumer["rtpParameters"] as? [String: Any])
            let codecs = try XCTUnwrap(rtpParameters["codecs"] as? [[String: Any]])
            XCTAssertEqual(codecs.first?["mimeType"] as? String, "video/VP8")
            XCTAssertEqual(codecs.first?["payloadType"] as? Int, 101)
            XCTAssertEqual(codecs.first?["clockRate"] as? Int, 90000)
            let encodings = try XCTUnwrap(rtpParameters["encodings"] as? [[String: Any]])
            XCTAssertEqual(encodings.count, 1)
            XCTAssertNotNil(encodings.first?["ssrc"] as? Int)
            XCTAssertNotEqual(encodings.first?["ssrc"] as? Int, 2222, "consumers get their own SSRC")
        }
    }

    func testConsumeErrorsNameWhatIsWrong() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("ffmpeg", to: "studio"), .ok)
            let sendTransport = try await client.createTransport(for: "ffmpeg", in: "studio", json: #"{"type": "plain"}"#)
            let sendId = try XCTUnwrap(sendTransport["id"] as? String)
            let produced = try await client.send(
                .post, "/rooms/studio/broadcasters/ffmpeg/transports/\(sendId)/producers",
                json: BroadcasterRoutesTests.vp8Producer)
            let producerId = try XCTUnwrap(produced.jsonObject()["id"] as? String)

            XCTAssertStatus(
                try await client.addBroadcaster("radio", to: "studio", rtpCapabilities: BroadcasterRoutesTests.opusOnlyCapabilities),
                .ok)
            let radioTransport = try await client.createTransport(for: "radio", in: "studio", json: #"{"type": "plain"}"#)
            let radioConsume = "/rooms/studio/broadcasters/radio/transports/\(try XCTUnwrap(radioTransport["id"] as? String))/consume"
            XCTAssertJSONError(try await client.send(.post, radioConsume), .badRequest, "missing query producerId")
            XCTAssertJSONError(
                try await client.send(.post, "\(radioConsume)?producerId=nope"), .notFound,
                #"producer with id "nope" not found"#)
            XCTAssertJSONError(
                try await client.send(.post, "\(radioConsume)?producerId=\(producerId)"), .unprocessableContent,
                "cannot consume producer")
            XCTAssertJSONError(
                try await client.send(
                    .post, "/rooms/studio/broadcasters/radio/transports/nope/consume?producerId=\(producerId)"),
                .notFound, #"transport with id "nope" not found"#)

            let ownConsume = "/rooms/studio/broadcasters/ffmpeg/transports/\(sendId)/consume?producerId=\(producerId)"
            XCTAssertJSONError(
                try await client.send(.post, ownConsume), .badRequest, "broadcaster does not have rtpCapabilities")
        }
    }

    func testDataChannelRoutesProduceAndConsumeOnSctpTransports() async throws {
        try await withAPI { client in
            XCTAssertStatus(try await client.addBroadcaster("cam", to: "studio"), .ok)
            let transport = try await client.createTransport(
                for: "cam", in: "studio",
                json: #"{"type": "webrtc", "sctpCapabilities": {"numStreams": {"OS": 1024, "MIS": 1024}}}"#)
            let sctp = try XCTUnwrap(transport["sctpParameters"] as? [String: Any])
            XCTAssertEqual(sctp["port"] as? Int, 5000)
            XCTAssertEqual(sctp["maxMessageSize"] as? Int, 262_144)
            let base = "/rooms/studio/broadcasters/cam/transports/\(try XCTUnwrap(transport["id"] as? String))"

            let produced = try await client.send(
                .post, "\(base)/produce/data",
                json: #"{"label": "chat", "protocol": "", "sctpStreamParameters": {"streamId": 3, "ordered": true}}"#)
            XCTAssertStatus(produced, .ok)
            let dataProducerId = try XCTUnwrap(produced.jsonObject()["id"] as? String)
            let consumed = try await client.send(
                .post, "\(base)/consume/data", json: #"{"dataProducerId": "\#(dataProducerId)"}"#)
            XCTAssertStatus(consumed, .ok)
            XCTAssertNotNil(try consumed.jsonObject()["id"] as? String)
            XCTAssertEqual(try consumed.jsonObject()["streamId"] as? Int, 0)

            XCTAssertJSONError(
                try await client.send(.post, "\(base)/produce/data", json: #"{"label": "chat"}"#),
                .badRequest, "missing sctpStreamParameters")
            XCTAssertJSONError(
                try await client.send(
                    .post, "\(base)/produce/data", json: #"{"sctpStreamParameters": {"streamId": 3}}"#),
                .badRequest, "sctpStreamId 3 already in use")
            XCTAssertJSONError(
                try await client.send(.post, "\(base)/consume/data", json: "{}"), .badRequest,
                "missing body.dataProducerId")
            XCTAssertJSONError(
                try await client.send(.post, "\(base)/consume/data", json: #"{"dataProducerId": "nope"}"#),
                .notFound, #"dataProducer with id "nope" not found"#)

            let plain = try await client.createTransport(for: "cam", in: "studio", json: #"{"type": "plain"}"#)
            let plainBase = "/rooms/studio/broadcasters/cam/transports/\(try XCTUnwrap(plain["id"] as? String))"
            XCTAssertJSONError(
                try await client.send(
                    .post, "\(plainBase)/produce/data", json: #"{"sctpStreamParameters": {"streamId": 1}}"#),
                .conflict, "SCTP not enabled")
        }
    }
}
