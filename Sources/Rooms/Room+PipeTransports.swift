import SFU

/// Rooms with pipe transports (mediasoup-demo's `usePipeTransports`): a second router on
/// another worker takes the peers' receiving transports, and every producer and data producer
/// is piped to the router it was not created on, so both routers can consume everything.
extension Room {
    /// The second router of a room with pipe transports and its worker's WebRtcServer.
    struct ConsumerSide: Sendable {
        let router: Router
        let webRtcServer: WebRtcServer?
    }

    /// Where a new WebRTC transport goes: a transport that only receives goes to the consumer
    /// side when there is one.
    func placement(consuming: Bool, producing: Bool) -> (router: Router, webRtcServer: WebRtcServer?) {
        if let consumerSide, consuming, !producing { return (consumerSide.router, consumerSide.webRtcServer) }
        return (router, webRtcServer)
    }

    /// The room's other router, seen from `source`; nil without pipe transports.
    private func pipeDestination(from source: Router) -> Router? {
        guard let consumerSide else { return nil }
        return source === router ? consumerSide.router : router
    }

    /// Makes `producerId` (made on `source`) consumable on the other router.
    func pipeProducer(_ producerId: String, from source: Router) async throws {
        guard let destination = pipeDestination(from: source) else { return }
        _ = try await source.pipeToRouter(PipeToRouterOptions(producerId: producerId, router: destination))
    }

    /// Makes `dataProducerId` (made on `source`) consumable on the other router.
    func pipeDataProducer(_ dataProducerId: String, from source: Router) async throws {
        guard let destination = pipeDestination(from: source) else { return }
        _ = try await source.pipeToRouter(PipeToRouterOptions(dataProducerId: dataProducerId, router: destination))
    }
}
