import Foundation
import Logging
import Rooms
import SFU

/// One protoo peer in a room: mediasoup-demo's request methods mapped onto ``Room`` calls, with
/// answers in the peer's ``ProtooDialect``. Every refusal is a protoo error response (500 with a
/// reason, 403 for what the peer's access token does not allow); the peer stays connected.
struct ProtooPeerSession: ProtooPeerHandler {
    let room: Room
    let peerId: String
    let permissions: Set<ProtooPermission>

    private typealias Payloads = ProtooRequestPayloads

    func handleRequest(_ request: ProtooRequest, from connection: ProtooPeerConnection) async throws(ProtooError)
        -> ProtooAnswer
    {
        do {
            return try await answer(request, connection: connection)
        } catch let error as RoomError {
            throw ProtooError(error)
        } catch let error as ProtooError {
            throw error
        } catch {
            throw ProtooError(invalidDataFor: request.method, error)
        }
    }

    private func require(_ permission: ProtooPermission, for method: String) throws(ProtooError) {
        guard permissions.contains(permission) else {
            throw ProtooError(code: 403, reason: "\(method) needs the \"\(permission.rawValue)\" permission, which the access token does not grant")
        }
    }

    /// What the TypeScript demo sends as notifications rather than requests.
    private static let notificationMethods: Set<String> = [
        "closeProducer", "pauseProducer", "resumeProducer", "pauseConsumer", "resumeConsumer",
        "setConsumerPreferredLayers", "setConsumerPriority", "requestConsumerKeyFrame", "changeDisplayName",
    ]

    /// Carries out one of ``notificationMethods`` as its request; there is no answer, so a
    /// refusal is only logged.
    func handleNotification(_ notification: ProtooNotification, from connection: ProtooPeerConnection) async {
        guard Self.notificationMethods.contains(notification.method) else {
            connection.logger.debug("peer notification ignored", metadata: ["method": "\(notification.method)"])
            return
        }
        let request = ProtooRequest(id: 0, method: notification.method, data: notification.data)
        do {
            _ = try await handleRequest(request, from: connection)
        } catch {
            connection.logger.info(
                "peer notification refused", metadata: ["method": "\(notification.method)", "reason": "\(error.reason)"])
        }
    }

    func connectionClosed(_ connection: ProtooPeerConnection) async {
        await room.removePeer(id: peerId, signaling: connection)
    }

    /// Throws `RoomError`, `ProtooError` or the `DecodingError` of a malformed `data`.
    private func answer(_ request: ProtooRequest, connection: ProtooPeerConnection) async throws -> ProtooAnswer {
        let data = request.data
        let dialect = await connection.dialect
        switch request.method {
        case "getRouterRtpCapabilities":
            // The classic demo takes the answer as the capabilities, the TypeScript demo reads
            // them under `routerRtpCapabilities`; nothing has told the dialect yet, so both.
            let capabilities = try JSONValue(encoding: room.rtpCapabilities)
            return ProtooAnswer(capabilities.adding(["routerRtpCapabilities": capabilities]))

        case "join":
            let join = try data.decode(Payloads.Join.self)
            var sctpCapabilities = join.sctpCapabilities
            if dialect == .typeScript, sctpCapabilities == nil {
                sctpCapabilities = await connection.receivingSctpCapabilities
            }
            // Without `subscribe` the peer joins as a publisher only: no consumers are made for it.
            let peers = try await room.join(
                peerId: peerId, displayName: join.displayName ?? peerId,
                device: join.device ?? DeviceInfo(name: "unknown"),
                rtpCapabilities: permissions.contains(.subscribe) ? join.rtpCapabilities : nil,
                sctpCapabilities: permissions.contains(.data) ? sctpCapabilities : nil)
            let room = self.room
            let peerId = self.peerId
            var peersData = try JSONValue(encoding: peers)
            if dialect == .typeScript, case .array(let entries) = peersData {
                peersData = .array(entries.map { $0.renaming("id", to: "peerId").removing("producers") })
            }
            return ProtooAnswer(.object(["peers": peersData])) {
                await room.startConsuming(peerId: peerId)
            }

        case "createWebRtcTransport":
            let options = try data.decode(Payloads.CreateWebRtcTransport.self)
            // Only the TypeScript demo gives a direction without `producing` and `consuming`; a
            // classic app may keep a direction of its own in `appData`.
            let direction = options.producing == nil && options.consuming == nil ? options.direction : nil
            if let direction {
                guard direction == "producer" || direction == "consumer" else {
                    throw ProtooError(reason: "invalid appData.direction \"\(direction)\": expected \"producer\" or \"consumer\"")
                }
                if await connection.dialect == .classic {
                    await connection.speak(.typeScript)
                    // Sent at connection as `mediasoup-version`, before the dialect was known.
                    await connection.notify(
                        "mediasoupVersion", data: .object(["version": .string(ProtooRoute.mediasoupVersion)]))
                }
                if direction == "consumer", let sctpCapabilities = options.sctpCapabilities {
                    await connection.remember(receivingSctpCapabilities: sctpCapabilities)
                }
            }
            let producing = options.producing ?? (direction == "producer")
            let consuming = options.consuming ?? (direction == "consumer")
            if producing { try require(.publish, for: request.method) }
            if consuming { try require(.subscribe, for: request.method) }
            // Without `data` the transport is made without SCTP, as `join` leaves the SCTP
            // capabilities out: an app that always asks for data channels (mediasoup-demo's)
            // still gets its media.
            let sctpCapabilities = permissions.contains(.data) ? options.sctpCapabilities : nil
            let description = try await room.createTransport(
                participantId: peerId, as: .peer,
                request: .webRtc(WebRtcTransportRequest(
                    preferUdp: options.forceTcp != true, preferTcp: options.forceTcp == true,
                    enableUdp: options.forceTcp != true, sctpCapabilities: sctpCapabilities, consuming: consuming,
                    producing: producing)))
            let answer = try JSONValue(encoding: description)
            return ProtooAnswer(direction == nil ? answer : answer.renaming("id", to: "transportId"))

        case "connectWebRtcTransport":
            let connect = try data.decode(Payloads.ConnectWebRtcTransport.self)
            try await room.connectWebRtcTransport(
                participantId: peerId, as: .peer, transportId: connect.transportId, dtlsParameters: connect.dtlsParameters)
            return ProtooAnswer()

        case "restartIce":
            let reference = try data.decode(Payloads.TransportReference.self)
            let iceParameters = try JSONValue(
                encoding: try await room.restartIce(peerId: peerId, transportId: reference.transportId))
            return ProtooAnswer(dialect == .typeScript ? .object(["iceParameters": iceParameters]) : iceParameters)

        case "produce":
            try require(.publish, for: request.method)
            let produce = try data.decode(Payloads.Produce.self)
            let producerId = try await room.produce(
                participantId: peerId, as: .peer, transportId: produce.transportId, kind: produce.kind,
                rtpParameters: produce.rtpParameters, paused: produce.paused ?? false,
                appData: produce.appData ?? .emptyObject)
            return ProtooAnswer(.object([dialect == .typeScript ? "producerId" : "id": .string(producerId)]))

        case "closeProducer":
            try await room.closeProducer(
                peerId: peerId, producerId: data.decode(Payloads.ProducerReference.self).producerId)
            return ProtooAnswer()

        case "pauseProducer":
            try await room.pauseProducer(
                peerId: peerId, producerId: data.decode(Payloads.ProducerReference.self).producerId)
            return ProtooAnswer()

        case "resumeProducer":
            try await room.resumeProducer(
                peerId: peerId, producerId: data.decode(Payloads.ProducerReference.self).producerId)
            return ProtooAnswer()

        case "pauseConsumer":
            try await room.pauseConsumer(
                peerId: peerId, consumerId: data.decode(Payloads.ConsumerReference.self).consumerId)
            return ProtooAnswer()

        case "resumeConsumer":
            try await room.resumeConsumer(
                peerId: peerId, consumerId: data.decode(Payloads.ConsumerReference.self).consumerId)
            return ProtooAnswer()

        case "setConsumerPreferredLayers":
            let layers = try data.decode(Payloads.SetConsumerPreferredLayers.self)
            try await room.setConsumerPreferredLayers(
                peerId: peerId, consumerId: layers.consumerId,
                layers: ConsumerLayers(spatialLayer: layers.spatialLayer, temporalLayer: layers.temporalLayer))
            return ProtooAnswer()

        case "setConsumerPriority":
            let priority = try data.decode(Payloads.SetConsumerPriority.self)
            try await room.setConsumerPriority(
                peerId: peerId, consumerId: priority.consumerId, priority: priority.priority)
            return ProtooAnswer()

        case "requestConsumerKeyFrame":
            try await room.requestConsumerKeyFrame(
                peerId: peerId, consumerId: data.decode(Payloads.ConsumerReference.self).consumerId)
            return ProtooAnswer()

        case "changeDisplayName":
            try await room.changeDisplayName(
                peerId: peerId, displayName: data.decode(Payloads.ChangeDisplayName.self).displayName)
            return ProtooAnswer()

        case "getTransportStats":
            let reference = try data.decode(Payloads.TransportReference.self)
            return ProtooAnswer(stats(
                try JSONValue(encoding: [try await room.transportStats(peerId: peerId, transportId: reference.transportId)]),
                in: dialect))

        case "getProducerStats":
            let reference = try data.decode(Payloads.ProducerReference.self)
            return ProtooAnswer(stats(
                try JSONValue(encoding: try await room.producerStats(peerId: peerId, producerId: reference.producerId)),
                in: dialect))

        case "getConsumerStats":
            let reference = try data.decode(Payloads.ConsumerReference.self)
            return ProtooAnswer(stats(
                try JSONValue(encoding: try await room.consumerStats(peerId: peerId, consumerId: reference.consumerId)),
                in: dialect))

        case "produceData":
            try require(.data, for: request.method)
            let produce = try data.decode(Payloads.ProduceData.self)
            let dataProducerId = try await room.produceData(
                participantId: peerId, as: .peer, transportId: produce.transportId,
                sctpStreamParameters: produce.sctpStreamParameters, label: produce.label ?? "",
                protocol: produce.protocol ?? "", appData: produce.appData ?? .emptyObject)
            return ProtooAnswer(.object([dialect == .typeScript ? "dataProducerId" : "id": .string(dataProducerId)]))

        case "getDataProducerStats":
            let reference = try data.decode(Payloads.DataProducerReference.self)
            return ProtooAnswer(stats(
                try JSONValue(encoding: try await room.dataProducerStats(peerId: peerId, dataProducerId: reference.dataProducerId)),
                in: dialect))

        case "getDataConsumerStats":
            let reference = try data.decode(Payloads.DataConsumerReference.self)
            return ProtooAnswer(stats(
                try JSONValue(encoding: try await room.dataConsumerStats(peerId: peerId, dataConsumerId: reference.dataConsumerId)),
                in: dialect))

        case "getRtcStatsUrl":
            // The TypeScript demo's rtcstats server, which this server does not have.
            return ProtooAnswer()

        case "applyNetworkThrottle", "resetNetworkThrottle", "stopNetworkThrottle":
            throw ProtooError(reason: "\(request.method) is not supported by this server")

        case "leaveRoom":
            guard await room.isJoined(peerId: peerId) else { throw ProtooError(reason: "Peer not joined") }
            await room.removePeer(id: peerId, signaling: connection)
            return ProtooAnswer { await connection.close() }

        default:
            throw ProtooError(reason: "unknown request.method \"\(request.method)\"")
        }
    }

    /// A stats answer: the list itself (classic), or `{stats}` (TypeScript).
    private func stats(_ list: JSONValue, in dialect: ProtooDialect) -> JSONValue {
        dialect == .typeScript ? .object(["stats": list]) : list
    }
}
