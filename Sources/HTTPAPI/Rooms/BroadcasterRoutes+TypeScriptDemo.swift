import Hummingbird
import Rooms
import SFU

/// The routes only the TypeScript mediasoup-demo's broadcaster API has: its broadcasters join
/// explicitly, name the transport in the body to produce and consume, resume their paused
/// consumers and list the room's producers. Answers are that demo's (201 with a Location for
/// what is created).
extension BroadcasterRoutes {
    func registerTypeScriptDemoRoutes<Context: RequestContext>(on router: Hummingbird.Router<Context>, base: String) {
        router.post(RouterPath("\(base)/:broadcasterId/join")) { _, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            try await roomCall { () throws(RoomError) in try await room.joinBroadcaster(id: broadcasterId) }
            return JSONBody.text("BroadcasterPeer joined")
        }
        router.post(RouterPath("\(base)/:broadcasterId/producers")) { request, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let body = try await JSONBody.decode(ProduceBody.self, from: request)
            guard let transportId = body.transportId else {
                throw HTTPError(.badRequest, message: "missing body.transportId")
            }
            let producerId = try await Self.produce(
                body, in: room, broadcasterId: broadcasterId, transportId: transportId)
            var response = try JSONBody.response(CreatedBroadcasterProducer(producerId: producerId), status: .created)
            response.headers[.location] = "\(URLText.broadcasterPath(roomId: room.id, broadcasterId: broadcasterId))/producers/\(producerId)"
            return response
        }
        router.post(RouterPath("\(base)/:broadcasterId/consumers")) { request, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let body = try await JSONBody.decode(ConsumeBody.self, from: request)
            guard let transportId = body.transportId else {
                throw HTTPError(.badRequest, message: "missing body.transportId")
            }
            guard let producerId = body.producerId, !producerId.isEmpty else {
                throw HTTPError(.badRequest, message: "missing body.producerId")
            }
            let consumer = try await Self.consume(
                producerId, as: body, in: room, broadcasterId: broadcasterId, transportId: transportId)
            var response = try JSONBody.response(CreatedBroadcasterConsumer(consumerId: consumer.id), status: .created)
            response.headers[.location] = "\(URLText.broadcasterPath(roomId: room.id, broadcasterId: broadcasterId))/consumers/\(consumer.id)"
            return response
        }
        router.post(RouterPath("\(base)/:broadcasterId/consumers/:consumerId/resume")) { _, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let consumerId = try context.parameters.requireDecoded("consumerId")
            try await roomCall { () throws(RoomError) in
                try await room.resumeBroadcasterConsumer(broadcasterId: broadcasterId, consumerId: consumerId)
            }
            return JSONBody.text("Consumer resumed")
        }
        // The form of the resume its `ffmpeg-receiver.sh` sends.
        router.post(RouterPath("\(base)/:broadcasterId/transports/:transportId/resume")) { request, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let transportId = try context.parameters.requireDecoded("transportId")
            let body = try await JSONBody.decode(ResumeConsumerBody.self, from: request)
            try await roomCall { () throws(RoomError) in
                try await room.resumeBroadcasterConsumer(
                    broadcasterId: broadcasterId, consumerId: body.consumerId, transportId: transportId)
            }
            return JSONBody.text("Consumer resumed")
        }
        router.get(RouterPath("\(base)/:broadcasterId/peerProducersInfos")) { _, context in
            let room = try await room(context)
            let broadcasterId = try context.parameters.requireDecoded("broadcasterId")
            let infos = try await roomCall { () throws(RoomError) in try await room.producersInfos(excluding: broadcasterId) }
            return try JSONBody.response(PeerProducersInfos(peerProducersInfos: infos))
        }
    }
}
