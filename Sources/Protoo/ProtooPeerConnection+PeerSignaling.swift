import Rooms

/// A room reaches its protoo peers through their connections.
extension ProtooPeerConnection: PeerSignaling {
    public func notify(_ notification: PeerNotification) {
        do {
            for message in try notification.protooNotifications(in: dialect) {
                notify(message.method, data: message.data)
            }
        } catch {
            logger.error("dropping unencodable notification", metadata: ["error": "\(error)"])
        }
    }

    public func offerConsumer(_ offer: ConsumerOffer, answered: @escaping @Sendable (Bool) async -> Void) {
        var data: JSONValue
        do {
            data = try JSONValue(encoding: offer)
            if dialect == .typeScript {
                data = data.renaming("id", to: "consumerId").adding([
                    "transportId": .string(offer.transportId), "consumerScore": try JSONValue(encoding: offer.score),
                ])
            }
        } catch {
            logger.error("dropping unencodable newConsumer", metadata: ["error": "\(error)"])
            Task { await answered(false) }
            return
        }
        let logger = self.logger
        request("newConsumer", data: data) { result in
            if case .failure(let failure) = result {
                logger.info(
                    "newConsumer not accepted", metadata: ["consumerId": "\(offer.id)", "reason": "\(failure)"])
            }
            await answered((try? result.get()) != nil)
        }
    }

    public func offerDataConsumer(_ offer: DataConsumerOffer) {
        var data: JSONValue
        do {
            data = try JSONValue(encoding: offer)
            if dialect == .typeScript {
                data = data.renaming("id", to: "dataConsumerId").adding(["transportId": .string(offer.transportId)])
            }
        } catch {
            logger.error("dropping unencodable newDataConsumer", metadata: ["error": "\(error)"])
            return
        }
        let logger = self.logger
        request("newDataConsumer", data: data) { result in
            if case .failure(let failure) = result {
                logger.info(
                    "newDataConsumer not accepted", metadata: ["dataConsumerId": "\(offer.id)", "reason": "\(failure)"])
            }
        }
    }
}
