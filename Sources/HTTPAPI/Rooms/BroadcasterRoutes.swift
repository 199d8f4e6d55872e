import Hummingbird
import Rooms
import SFU

/// mediasoup-demo's broadcaster routes (`/rooms/:roomId/broadcasters/...`), same paths, bodies
/// and success answers: the classic (JavaScript) demo's and, where a request is in its form,
/// the TypeScript demo's (`BroadcasterRoutes+TypeScriptDemo.swift`).
struct BroadcasterRoutes: Sendable {
    let registry: RoomRegistry

    func register<Context: RequestContext>(on router: Hummingbird.Router<Context>) {
        let base = "rooms/:roomId/broadcasters"
        router.post(RouterPath(base)) { request, context in
            let roomId = try context.parameters.requireDecoded("roomId")
            let body = try await JSONBody.decode(BroadcasterBody.self, from: request)
            guard let broadcasterId = body.id ?? body.peerId, !broadcasterId.isEmpty else {
                throw HTTPError(.badRequest, message: "missing body.id")
            }
            guard ParticipantIdentifier.isValid(broadcasterId) else {
                throw HTTPError(.badRequest, message: "invalid body.id: control characters are not allowed")
            }
            // Without a device (2060-io's clients may leave it out) the demo's default name stands in.
            if let device = body.device, device.name == nil {
                throw HTTPError(.badRequest, message: "missing body.device.name")
            }
            let device = DeviceInfo.broadcaster(announced: body.device)
            let peers = try await roomCall { () throws(RoomError) in
                try await registry.enter(roomId: roomId, create: true) { room throws(RoomError) in
                    try await room.addBroadcaster(
                        id: broadcasterId, displayName: body.displayName, device: device,
                        rtpCapabilities: body.rtpCapabilities, speaksTypeScriptDemoAPI: body.id == nil)
                }
            }
            if body.id == nil {
                var response = JSONBody.text("BroadcasterPeer created", status: .created)
                response.headers[.location] = URLText.broadcasterPath(roomId: roomId, broadcasterId: broadcasterId)
                return response
            }
            return try JSONBody.response(BroadcasterJoined(peers: peers))
        }
        router.delete(RouterPath("\(base)/:broadcasterId")) { _, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let typeScriptDemo = try await roomCall { () throws(RoomError) in
                try await room.removeBroadcaster(id: broadcasterId)
            }
            return typeScriptDemo ? Response(status: .noContent) : JSONBody.text("broadcaster deleted")
        }
        router.post(RouterPath("\(base)/:broadcasterId/transports")) { request, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let body = try await JSONBody.decode(TransportBody.self, from: request)
            let transportRequest = try Self.transportRequest(body)
            let description = try await roomCall { () throws(RoomError) in
                try await room.createTransport(participantId: broadcasterId, as: .broadcaster, request: transportRequest)
            }
            if body.type == nil, case .plain(let plain) = description {
                return try JSONBody.response(
                    CreatedPlainTransport(transportId: plain.id, ip: plain.ip, port: plain.port, rtcpPort: plain.rtcpPort),
                    status: .created)
            }
            return try JSONBody.response(description)
        }
        router.post(RouterPath("\(base)/:broadcasterId/transports/:transportId/connect")) { request, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let transportId = try context.parameters.requireDecoded("transportId")
            let body = try await JSONBody.decode(ConnectBody.self, from: request)
            if let dtlsParameters = body.dtlsParameters {
                guard !dtlsParameters.fingerprints.isEmpty else {
                    throw HTTPError(.badRequest, message: "invalid body.dtlsParameters.fingerprints: empty")
                }
                try await roomCall { () throws(RoomError) in
                    try await room.connectWebRtcTransport(
                        participantId: broadcasterId, as: .broadcaster, transportId: transportId, dtlsParameters: dtlsParameters)
                }
            } else if body.ip != nil || body.port != nil || body.srtpParameters != nil {
                let parameters = PlainTransportConnectParameters(
                    ip: body.ip, port: body.port, rtcpPort: body.rtcpPort, srtpParameters: body.srtpParameters)
                try await roomCall { () throws(RoomError) in
                    try await room.connectPlainTransport(
                        participantId: broadcasterId, as: .broadcaster, transportId: transportId, parameters: parameters)
                }
            } else {
                throw HTTPError(.badRequest, message: "missing body.dtlsParameters (or ip and port for a plain transport)")
            }
            return Response(status: .ok)
        }
        router.post(RouterPath("\(base)/:broadcasterId/transports/:transportId/producers")) { request, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let transportId = try context.parameters.requireDecoded("transportId")
            let body = try await JSONBody.decode(ProduceBody.self, from: request)
            let producerId = try await Self.produce(
                body, in: room, broadcasterId: broadcasterId, transportId: transportId)
            return try JSONBody.response(CreatedProducer(id: producerId))
        }
        router.post(RouterPath("\(base)/:broadcasterId/transports/:transportId/consume")) { request, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let transportId = try context.parameters.requireDecoded("transportId")
            // The TypeScript demo's scripts give the producer, the pause and the RTP capabilities in
            // the body.
            let body = try await JSONBody.decode(ConsumeBody.self, from: request)
            let queryProducerId = request.uri.queryParameters.get("producerId")
            guard let producerId = queryProducerId ?? body.producerId, !producerId.isEmpty else {
                throw HTTPError(.badRequest, message: "missing query producerId")
            }
            let consumer = try await Self.consume(
                producerId, as: body, in: room, broadcasterId: broadcasterId, transportId: transportId)
            if queryProducerId == nil {
                return try JSONBody.response(CreatedBroadcasterConsumer(consumerId: consumer.id), status: .created)
            }
            return try JSONBody.response(CreatedConsumer(
                id: consumer.id, producerId: consumer.producerId, kind: consumer.kind,
                rtpParameters: consumer.rtpParameters, type: consumer.type))
        }
        registerTypeScriptDemoRoutes(on: router, base: base)
        router.post(RouterPath("\(base)/:broadcasterId/transports/:transportId/consume/data")) { request, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let transportId = try context.parameters.requireDecoded("transportId")
            let body = try await JSONBody.decode(ConsumeDataBody.self, from: request)
            let dataConsumer = try await roomCall { () throws(RoomError) in
                try await room.consumeData(
                    participantId: broadcasterId, as: .broadcaster, transportId: transportId, dataProducerId: body.dataProducerId)
            }
            return try JSONBody.response(dataConsumer)
        }
        router.post(RouterPath("\(base)/:broadcasterId/transports/:transportId/produce/data")) { request, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let transportId = try context.parameters.requireDecoded("transportId")
            let body = try await JSONBody.decode(ProduceDataBody.self, from: request)
            let dataProducerId = try await roomCall { () throws(RoomError) in
                try await room.produceData(
                    participantId: broadcasterId, as: .broadcaster, transportId: transportId,
                    sctpStreamParameters: body.sctpStreamParameters, label: body.label ?? "",
                    protocol: body.protocol ?? "", appData: body.appData ?? .emptyObject)
            }
            return try JSONBody.response(CreatedProducer(id: dataProducerId))
        }
    }

    /// The room of the path, which must exist: a broadcaster's routes name a broadcaster, which
    /// only an existing room has (mediasoup-demo creates the room and then refuses the request,
    /// leaving an empty room behind).
    func room(_ context: some RequestContext) async throws -> Room {
        let roomId = try context.parameters.requireDecoded("roomId")
        return try await roomCall { () throws(RoomError) in try await registry.room(id: roomId, create: false) }
    }

    static func produce(
        _ body: ProduceBody, in room: Room, broadcasterId: String, transportId: String
    ) async throws -> String {
        guard let kind = MediaKind(rawValue: body.kind) else {
            throw HTTPError(.badRequest, message: "invalid body.kind: expected \"audio\" or \"video\"")
        }
        return try await roomCall { () throws(RoomError) in
            try await room.produce(
                participantId: broadcasterId, as: .broadcaster, transportId: transportId, kind: kind,
                rtpParameters: body.rtpParameters, paused: body.paused ?? false, appData: body.appData ?? .emptyObject)
        }
    }

    /// A consumer of `producerId` with the pause and RTP capabilities `body` gives (else
    /// unpaused, with the broadcaster's capabilities).
    static func consume(
        _ producerId: String, as body: ConsumeBody, in room: Room, broadcasterId: String, transportId: String
    ) async throws -> ConsumerDescription {
        try await roomCall { () throws(RoomError) in
            try await room.consume(
                participantId: broadcasterId, as: .broadcaster, transportId: transportId, producerId: producerId,
                paused: body.paused ?? false, rtpCapabilities: body.rtpCapabilities)
        }
    }

    static func transportRequest(_ body: TransportBody) throws -> TransportRequest {
        if let direction = body.direction, direction != "producer", direction != "consumer" {
            throw HTTPError(.badRequest, message: "invalid body.direction: expected \"producer\" or \"consumer\"")
        }
        // The TypeScript demo's broadcasters only have plain transports, and give no type.
        guard let type = body.type ?? (body.direction == nil ? nil : "plain") else {
            throw HTTPError(.badRequest, message: "missing body.type")
        }
        switch type {
        case "webrtc":
            return .webRtc(WebRtcTransportRequest(
                preferUdp: body.preferUdp ?? false, preferTcp: body.preferTcp ?? false,
                sctpCapabilities: body.sctpCapabilities))
        case "plain":
            var suite = SrtpCryptoSuite.aesCm128HmacSha1_80
            if let name = body.srtpCryptoSuite {
                guard let chosen = SrtpCryptoSuite(rawValue: name) else {
                    throw HTTPError(.badRequest, message: "invalid body.srtpCryptoSuite \"\(name)\"")
                }
                suite = chosen
            }
            return .plain(PlainTransportRequest(
                rtcpMux: body.rtcpMux ?? false, comedia: body.comedia ?? true, enableSrtp: body.enableSrtp ?? false,
                srtpCryptoSuite: suite, sctpCapabilities: body.sctpCapabilities))
        default:
            throw HTTPError(.badRequest, message: "invalid type")
        }
    }
}
