import SFU

/// Someone in a room: a protoo peer or a REST broadcaster, with the media objects they own.
/// Lives inside its ``Room`` actor and is only touched there.
final class Participant {
    let id: String
    let role: ParticipantRole
    var displayName: String
    var device: DeviceInfo
    var rtpCapabilities: RtpCapabilities?
    /// How the room reaches a peer; nil for broadcasters.
    let signaling: (any PeerSignaling)?
    /// Broadcasters are joined from the start; a peer once it sent `join`. Only joined
    /// participants are visible to others.
    var joined: Bool
    /// True once a joined peer has been offered the producers that existed when it joined;
    /// from then on it is offered every new producer.
    var receivesConsumers = false
    /// The WebRTC transports the peer created with `consuming: true`; server-created
    /// consumers go on the first of them.
    var consumingTransportIds: [String] = []
    /// Extra copies of each consumer offered to the peer (mediasoup-demo's `consumerReplicas`).
    var consumerReplicas = 0
    /// Producers a consumer is being created for, so concurrent offers never duplicate one.
    var producerIdsBeingConsumed: Set<String> = []
    /// Data producers a data consumer is being made of for this peer, as `producerIdsBeingConsumed`.
    var dataProducerIdsBeingConsumed: Set<String> = []
    var webRtcTransports: [String: WebRtcTransport] = [:]
    var plainTransports: [String: PlainTransport] = [:]
    var producers: [String: Producer] = [:]
    var consumers: [String: Consumer] = [:]
    /// Consumers offered to a peer that has not answered yet, each with whether the peer asked
    /// to pause it meanwhile (the demo client does so at once in audio-only mode): the answer
    /// then must not resume it.
    var unansweredConsumerOffers: [String: Bool] = [:]
    /// A broadcaster created in the TypeScript mediasoup-demo's form (named by `peerId`), whose
    /// REST answers follow that demo.
    var speaksTypeScriptDemoAPI = false
    /// Set by `join` when the peer wants data channels (mediasoup-demo's `sctpCapabilities`).
    var sctpCapabilities: SctpCapabilities?
    var dataProducers: [String: DataProducer] = [:]
    var dataConsumers: [String: DataConsumer] = [:]

    init(
        id: String, role: ParticipantRole, displayName: String, device: DeviceInfo, rtpCapabilities: RtpCapabilities?,
        signaling: (any PeerSignaling)? = nil
    ) {
        self.id = id
        self.role = role
        self.displayName = displayName
        self.device = device
        self.rtpCapabilities = rtpCapabilities
        self.signaling = signaling
        self.joined = role == .broadcaster
        RoomMetrics.peers.increment()
    }

    deinit { RoomMetrics.peers.decrement() }

    /// The transport server-created consumers go on.
    var consumingTransport: WebRtcTransport? {
        consumingTransportIds.lazy.compactMap { self.webRtcTransports[$0] }.first
    }

    func transport(id: String) -> Transport? {
        webRtcTransports[id] ?? plainTransports[id]
    }

    var transportCount: Int { webRtcTransports.count + plainTransports.count }

    /// Forgets everything the participant owns and hands over its transports to close (closing
    /// a transport closes its producers and consumers).
    func detachAll() -> [Transport] {
        let transports: [Transport] = Array(webRtcTransports.values) + Array(plainTransports.values)
        webRtcTransports.removeAll()
        plainTransports.removeAll()
        consumingTransportIds.removeAll()
        producers.removeAll()
        consumers.removeAll()
        dataProducers.removeAll()
        dataConsumers.removeAll()
        return transports
    }
}
