import AsyncHTTPClient
import Foundation
import Logging
import SFU

/// One room (mediasoup-demo's Room.js): a router and the participants — protoo peers and REST
/// broadcasters — with the transports, producers and consumers they own. When a participant
/// leaves, everything they own closes; when the last one leaves, the room closes.
public actor Room {
    public nonisolated let id: String
    public nonisolated let rtpCapabilities: RtpCapabilities
    /// Limit on peers plus broadcasters; nil for none.
    public nonisolated let maxPeerCount: Int?
    public nonisolated let eventNotificationUri: URL?

    /// Where producers are made (all of them, unless the room uses pipe transports).
    let router: Router
    /// The receiving side of a room with pipe transports (see Room+PipeTransports.swift).
    let consumerSide: ConsumerSide?
    /// Finds the active speaker among the audio producers, as mediasoup-demo's room does.
    let audioLevels: AudioLevelObserver
    static let audioLevelObserverOptions = AudioLevelObserverOptions(maxEntries: 1, threshold: -80, interval: 800)
    let webRtcServer: WebRtcServer?
    private let media: MediaSettings
    let configuration: RoomsConfiguration
    let logger: Logger
    private let onClose: @Sendable (Room) async -> Void
    var participants: [String: Participant] = [:]
    /// Every live producer of the room with the participant that owns it and its app data.
    var producers: [String: (producer: Producer, ownerId: String, appData: JSONValue)] = [:]
    /// Every live data producer with its owner and app data.
    var dataProducers: [String: (dataProducer: DataProducer, ownerId: String, appData: JSONValue)] = [:]
    var botInstance: RoomBot?
    var botCreation: Task<RoomBot?, Never>?
    var hadParticipants = false
    /// Peers that left lately, and when: they may come back while the server drains.
    var departedPeers: [String: ContinuousClock.Instant] = [:]
    private let webhook: WebhookDelivery?
    private var liveSnapshots: Task<Void, Never>?
    public private(set) var isClosed = false

    init(
        id: String, router: Router, consumerSide: ConsumerSide? = nil, audioLevels: AudioLevelObserver,
        webRtcServer: WebRtcServer?, media: MediaSettings,
        configuration: RoomsConfiguration,
        maxPeerCount: Int?, eventNotificationUri: URL?, logger: Logger, onClose: @escaping @Sendable (Room) async -> Void
    ) {
        self.id = id
        self.rtpCapabilities = router.rtpCapabilities
        RoomMetrics.rooms.increment()
        self.router = router
        self.consumerSide = consumerSide
        self.audioLevels = audioLevels
        self.webRtcServer = webRtcServer
        self.media = media
        self.configuration = configuration
        self.maxPeerCount = maxPeerCount
        self.eventNotificationUri = eventNotificationUri
        self.logger = logger
        self.onClose = onClose
        self.webhook = eventNotificationUri.map {
            WebhookDelivery(uri: $0, settings: configuration.webhooks, client: .shared, logger: logger)
        }
    }

    deinit { RoomMetrics.rooms.decrement() }

    /// Announces the room (`room-created`) and starts its `room-live` snapshots.
    func start() {
        publish(.roomCreated)
        Task { [weak self, audioLevels] in
            for await event in audioLevels.events {
                await self?.announceActiveSpeaker(event)
            }
        }
        guard webhook != nil, let interval = configuration.webhooks.liveInterval else { return }
        liveSnapshots = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                await self.publishLiveSnapshot()
            }
        }
    }

    private func publishLiveSnapshot() {
        guard !isClosed else { return }
        publish(.roomLive, peers: participants.keys.sorted())
    }

    func publish(_ kind: RoomEvent.Kind, peerId: String? = nil, peers: [String]? = nil) {
        webhook?.send(RoomEvent(roomId: id, peerId: peerId, event: kind, peers: peers))
    }

    /// Peers and broadcasters in the room.
    public var participantCount: Int { participants.count }

    /// True for a room nobody has joined yet.
    var isUnused: Bool { !hadParticipants && participants.isEmpty }

    /// Everyone joined in the room as others see them; producers filtered by what
    /// `capabilities` can consume when given, left out entirely when not (mediasoup-demo's
    /// broadcaster answer).
    public func peerSummaries(excluding excludedId: String? = nil, consumableWith capabilities: RtpCapabilities?) async
        -> [PeerSummary]
    {
        var summaries: [PeerSummary] = []
        for participant in participants.values where participant.id != excludedId && participant.joined {
            var producerSummaries: [PeerSummary.ProducerSummary] = []
            if let capabilities {
                for producer in participant.producers.values
                where await router.canConsume(producerId: producer.id, rtpCapabilities: capabilities) {
                    producerSummaries.append(.init(id: producer.id, kind: producer.kind))
                }
            }
            summaries.append(PeerSummary(
                id: participant.id, displayName: participant.displayName, device: participant.device,
                producers: producerSummaries))
        }
        return summaries.sorted { $0.id < $1.id }
    }

    // MARK: - Broadcasters

    /// Adds a REST broadcaster; answers, when `rtpCapabilities` are given, with the other
    /// participants and their producers it can consume. `speaksTypeScriptDemoAPI`: it was created in
    /// the TypeScript mediasoup-demo's form, and wants that demo's answers until it leaves.
    public func addBroadcaster(
        id participantId: String, displayName: String, device: DeviceInfo, rtpCapabilities: RtpCapabilities?,
        speaksTypeScriptDemoAPI: Bool = false
    ) async throws(RoomError) -> [PeerSummary] {
        try checkOpen()
        guard configuration.acceptsNewSessions() else { throw .unavailable("server is draining; no new broadcasters") }
        var capabilities = rtpCapabilities
        do {
            try capabilities?.validate()
        } catch {
            throw RoomError(error)
        }
        guard participants[participantId] == nil else {
            throw .conflict("broadcaster with id \"\(participantId)\" already exists")
        }
        if let maxPeerCount, participants.count >= maxPeerCount {
            throw .conflict("room is full (maxPeerCount \(maxPeerCount))")
        }
        let broadcaster = Participant(
            id: participantId, role: .broadcaster, displayName: displayName, device: device,
            rtpCapabilities: capabilities)
        broadcaster.speaksTypeScriptDemoAPI = speaksTypeScriptDemoAPI
        participants[participantId] = broadcaster
        hadParticipants = true
        await notifyJoinedPeers(.newPeer(summary(of: broadcaster)), except: participantId)
        publish(.peerJoined, peerId: participantId)
        logger.info("broadcaster joined", metadata: ["roomId": "\(id)", "broadcasterId": "\(participantId)"])
        // As mediasoup-demo: a broadcaster that gives no capabilities is told of nobody.
        guard let capabilities else { return [] }
        return await peerSummaries(excluding: participantId, consumableWith: capabilities)
    }

    /// Removes a broadcaster and closes everything it owns; answers whether it was created in the
    /// TypeScript mediasoup-demo's form.
    @discardableResult
    public func removeBroadcaster(id participantId: String) async throws(RoomError) -> Bool {
        guard let participant = participants[participantId], participant.role == .broadcaster else {
            throw .notFound("broadcaster with id \"\(participantId)\" not found")
        }
        await remove(participant)
        return participant.speaksTypeScriptDemoAPI
    }

    /// Forgets `participant`, closes everything it owns and tells the others; closes the room
    /// when it was the last one unless someone is about to take its place.
    func remove(_ participant: Participant, closingEmptyRoom: Bool = true) async {
        participants[participant.id] = nil
        for producerId in participant.producers.keys { producers[producerId] = nil }
        for transport in participant.detachAll() { await transport.close() }
        if participant.joined {
            await notifyJoinedPeers(.peerClosed(peerId: participant.id), except: participant.id)
            publish(.peerLeft, peerId: participant.id)
        }
        logger.info("participant left", metadata: ["roomId": "\(id)", "participantId": "\(participant.id)"])
        if closingEmptyRoom, participants.isEmpty { await close() }
    }

    // MARK: - Transports, producers, consumers

    public func createTransport(participantId: String, as role: ParticipantRole, request: TransportRequest) async throws(RoomError)
        -> TransportDescription
    {
        let participant = try participant(participantId, as: role)
        do {
            switch request {
            case .webRtc(let options):
                try options.sctpCapabilities?.validate()
                let (router, webRtcServer) = placement(consuming: options.consuming, producing: options.producing)
                let transport = try await router.createWebRtcTransport(webRtcOptions(options, webRtcServer: webRtcServer))
                try await transport.setMaxIncomingBitrate(media.maxIncomingBitrate)
                try await keep(transport, for: participant)
                participant.webRtcTransports[transport.id] = transport
                if options.consuming { participant.consumingTransportIds.append(transport.id) }
                if participant.signaling != nil {
                    // As mediasoup-demo does: the peer hears its downlink estimate (`downlinkBwe`).
                    await transport.enableTraceEvent([.bwe])
                    watch(transport, peerId: participantId)
                }
                return .webRtc(WebRtcTransportDescription(
                    id: transport.id, iceParameters: await transport.iceParameters,
                    iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters,
                    sctpParameters: transport.sctpParameters, iceServers: configuration.iceServers(participantId)))
            case .plain(let options):
                var plainOptions = PlainTransportOptions(
                    listenInfo: media.listenInfo(.udp), rtcpMux: options.rtcpMux, comedia: options.comedia,
                    enableSrtp: options.enableSrtp, srtpCryptoSuite: options.srtpCryptoSuite)
                if let sctp = options.sctpCapabilities {
                    try sctp.validate()
                    plainOptions.enableSctp = true
                    plainOptions.numSctpStreams = sctp.numStreams
                }
                let transport = try await router.createPlainTransport(plainOptions)
                try await keep(transport, for: participant)
                participant.plainTransports[transport.id] = transport
                let tuple = await transport.tuple
                return .plain(PlainTransportDescription(
                    id: transport.id, ip: tuple.localAddress, port: tuple.localPort,
                    rtcpPort: await transport.rtcpTuple?.localPort, srtpParameters: transport.srtpParameters,
                    sctpParameters: transport.sctpParameters))
            }
        } catch {
            throw RoomError(error)
        }
    }

    /// Closes `transport` and throws when `participant` left the room while it was being made:
    /// nobody would close it otherwise.
    private func keep(_ transport: Transport, for participant: Participant) async throws(RoomError) {
        guard participants[participant.id] !== participant else { return }
        await transport.close()
        throw .notFound("\(participant.role) with id \"\(participant.id)\" left")
    }

    /// Seconds without an ICE consent check before a transport counts as disconnected, as
    /// mediasoup-demo sets it.
    static let iceConsentTimeout = 20

    private func webRtcOptions(_ request: WebRtcTransportRequest, webRtcServer: WebRtcServer?) -> WebRtcTransportOptions {
        var options = WebRtcTransportOptions(
            webRtcServer: webRtcServer, enableUdp: request.enableUdp, enableTcp: true, preferUdp: request.preferUdp,
            preferTcp: request.preferTcp, iceConsentTimeout: Self.iceConsentTimeout)
        // Without the worker's shared WebRtcServer, the transport opens its own sockets.
        if webRtcServer == nil { options.listenInfos = [media.listenInfo(.udp), media.listenInfo(.tcp)] }
        if let sctp = request.sctpCapabilities {
            options.enableSctp = true
            options.numSctpStreams = sctp.numStreams
        }
        return options
    }

    /// Gives a WebRTC transport the client's DTLS parameters.
    public func connectWebRtcTransport(
        participantId: String, as role: ParticipantRole, transportId: String, dtlsParameters: DtlsParameters
    ) async throws(RoomError) {
        let participant = try participant(participantId, as: role)
        guard let transport = participant.webRtcTransports[transportId] else {
            if participant.plainTransports[transportId] != nil {
                throw .invalid("transport with id \"\(transportId)\" is not a WebRtcTransport")
            }
            throw .notFound("transport with id \"\(transportId)\" not found")
        }
        do {
            try await transport.connect(dtlsParameters: dtlsParameters)
        } catch {
            throw RoomError(error)
        }
    }

    /// Gives a plain transport the remote address (and SRTP keys).
    public func connectPlainTransport(
        participantId: String, as role: ParticipantRole, transportId: String, parameters: PlainTransportConnectParameters
    ) async throws(RoomError) {
        let participant = try participant(participantId, as: role)
        guard let transport = participant.plainTransports[transportId] else {
            if participant.webRtcTransports[transportId] != nil {
                throw .invalid("transport with id \"\(transportId)\" is not a PlainTransport")
            }
            throw .notFound("transport with id \"\(transportId)\" not found")
        }
        do {
            try await transport.connect(parameters)
        } catch {
            throw RoomError(error)
        }
    }

    /// Starts receiving media from a participant and offers it to every joined peer that can
    /// consume it; answers the producer id. A peer's `appData` gains its `peerId`, as
    /// mediasoup-demo does.
    public func produce(
        participantId: String, as role: ParticipantRole, transportId: String, kind: MediaKind, rtpParameters: RtpParameters, paused: Bool = false,
        appData: JSONValue = .emptyObject
    ) async throws(RoomError) -> String {
        let participant = try participant(participantId, as: role)
        guard participant.joined else { throw .conflict("Peer not yet joined") }
        let transport = try transport(of: participant, id: transportId)
        var appData = appData
        if participant.role == .peer, case .object(var members) = appData {
            members["peerId"] = .string(participantId)
            appData = .object(members)
        }
        let producer: Producer
        do {
            producer = try await transport.produce(
                ProducerOptions(kind: kind, rtpParameters: rtpParameters, paused: paused))
        } catch {
            throw RoomError(error)
        }
        do {
            try await pipeProducer(producer.id, from: transport.router)
        } catch {
            await producer.close()
            throw RoomError(error)
        }
        participant.producers[producer.id] = producer
        producers[producer.id] = (producer, participantId, appData)
        watch(producer, ownerId: participantId)
        if kind == .audio { try? await audioLevels.addProducer(id: producer.id) }
        logger.info(
            "producer created",
            metadata: ["roomId": "\(id)", "participantId": "\(participantId)", "producerId": "\(producer.id)",
                "kind": "\(kind.rawValue)"])
        for peer in participants.values where peer.receivesConsumers && peer.id != participantId {
            await offerConsumer(of: producer.id, to: peer)
        }
        return producer.id
    }

    /// A consumer of `producerId` for a participant, with the given RTP capabilities or else
    /// those it announced.
    public func consume(
        participantId: String, as role: ParticipantRole, transportId: String, producerId: String, paused: Bool = false,
        rtpCapabilities: RtpCapabilities? = nil
    ) async throws(RoomError) -> ConsumerDescription {
        let participant = try participant(participantId, as: role)
        let transport = try transport(of: participant, id: transportId)
        guard var capabilities = rtpCapabilities ?? participant.rtpCapabilities else {
            throw .invalid("broadcaster does not have rtpCapabilities")
        }
        do {
            try capabilities.validate()
        } catch {
            throw RoomError(error)
        }
        guard producers[producerId] != nil else {
            throw .notFound("producer with id \"\(producerId)\" not found")
        }
        guard await router.canConsume(producerId: producerId, rtpCapabilities: capabilities) else {
            throw .unsupported("cannot consume producer \"\(producerId)\" with the given rtpCapabilities")
        }
        do {
            let consumer = try await transport.consume(
                ConsumerOptions(producerId: producerId, rtpCapabilities: capabilities, paused: paused))
            participant.consumers[consumer.id] = consumer
            watch(consumer, ownerId: participantId)
            return ConsumerDescription(
                id: consumer.id, producerId: producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters,
                type: consumer.type, producerPaused: consumer.producerPaused)
        } catch {
            throw RoomError(error)
        }
    }

    // MARK: - Bookkeeping

    private func watch(_ producer: Producer, ownerId: String) {
        Task { [weak self] in
            for await event in producer.events {
                guard case .score(let score) = event else { continue }
                await self?.notify(ownerId, .producerScore(producerId: producer.id, score: score))
            }
            await self?.producerEnded(producer.id, ownerId: ownerId)
        }
    }

    /// Follows a consumer until it closes; a signaling peer hears about its producer's pauses,
    /// scores, layers and closing.
    func watch(_ consumer: Consumer, ownerId: String) {
        Task { [weak self] in
            for await event in consumer.events {
                let notification: PeerNotification
                switch event {
                case .producerPause: notification = .consumerPaused(consumerId: consumer.id)
                case .producerResume: notification = .consumerResumed(consumerId: consumer.id)
                case .score(let score): notification = .consumerScore(consumerId: consumer.id, score: score)
                case .layersChange(let layers):
                    notification = .consumerLayersChanged(consumerId: consumer.id, layers: layers)
                case .closed(let reason):
                    guard reason == .producerClosed else { continue }
                    notification = .consumerClosed(consumerId: consumer.id)
                }
                await self?.notify(ownerId, notification)
            }
            await self?.consumerEnded(consumer.id, ownerId: ownerId)
        }
    }

    /// Follows a signaling peer's transport: its outgoing bandwidth estimate goes to the peer as
    /// `downlinkBwe`, and, as mediasoup-demo does, the peer is closed when the transport lost
    /// ICE (consent expired) or its DTLS failed or was closed by the client: its media is gone,
    /// and closing the socket tells the client so instead of leaving a silent peer in the room.
    private func watch(_ transport: WebRtcTransport, peerId: String) {
        Task { [weak self] in
            for await event in transport.events {
                let reason: String
                switch event {
                case .outgoingBandwidth(let trace):
                    await self?.notify(peerId, .downlinkBandwidth(trace))
                    continue
                case .iceStateChange(.disconnected): reason = "ICE disconnected"
                case .dtlsStateChange(.failed): reason = "DTLS failed"
                case .dtlsStateChange(.closed): reason = "DTLS closed"
                default: continue
                }
                await self?.connectivityLost(transportId: transport.id, peerId: peerId, reason: reason)
                return
            }
        }
    }

    private func connectivityLost(transportId: String, peerId: String, reason: String) async {
        // A transport already detached (its peer left, the room closed) is no news.
        guard let peer = participants[peerId], peer.webRtcTransports[transportId] != nil,
            let signaling = peer.signaling
        else { return }
        logger.info(
            "closing peer: transport lost connectivity",
            metadata: ["roomId": "\(id)", "peerId": "\(peerId)", "transportId": "\(transportId)", "reason": "\(reason)"])
        await removeDeparting(peer)
        await signaling.close()
    }

    /// mediasoup-demo's `activeSpeaker` to every joined peer: the loudest producer's owner and
    /// volume, or `peerId: null` on silence.
    private func announceActiveSpeaker(_ event: AudioLevelObserverEvent) async {
        switch event {
        case .volumes(let volumes):
            guard let loudest = volumes.first, let ownerId = producers[loudest.producerId]?.ownerId else { return }
            await notifyJoinedPeers(.activeSpeaker(peerId: ownerId, volume: loudest.volume), except: nil)
        case .silence:
            await notifyJoinedPeers(.activeSpeaker(peerId: nil, volume: nil), except: nil)
        }
    }

    private func producerEnded(_ producerId: String, ownerId: String) {
        producers[producerId] = nil
        participants[ownerId]?.producers[producerId] = nil
    }

    private func consumerEnded(_ consumerId: String, ownerId: String) {
        participants[ownerId]?.consumers[consumerId] = nil
        participants[ownerId]?.unansweredConsumerOffers[consumerId] = nil
    }

    func checkOpen() throws(RoomError) {
        guard !isClosed else { throw .notFound("room with id \"\(id)\" is closed") }
    }

    /// The participant `participantId` when it is a `role` (a broadcaster route names no peer).
    func participant(_ participantId: String, as role: ParticipantRole) throws(RoomError) -> Participant {
        try checkOpen()
        guard let participant = participants[participantId], participant.role == role else {
            throw .notFound("\(role) with id \"\(participantId)\" not found")
        }
        return participant
    }

    func transport(of participant: Participant, id transportId: String) throws(RoomError) -> Transport {
        guard let transport = participant.transport(id: transportId) else {
            throw .notFound("transport with id \"\(transportId)\" not found")
        }
        return transport
    }

    /// Closes the room: every participant's media and the router.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        // Forgotten by the registry first, so a newcomer meanwhile gets a new room.
        await onClose(self)
        let signalings = participants.values.compactMap(\.signaling)
        let transports = participants.values.flatMap { $0.detachAll() }
        for transport in transports { await transport.close() }
        participants.removeAll()
        producers.removeAll()
        for signaling in signalings { await signaling.close() }
        await botInstance?.close()
        await router.close()
        await consumerSide?.router.close()
        liveSnapshots?.cancel()
        publish(.roomClosed)
        webhook?.finish()
        logger.info("room closed", metadata: ["roomId": "\(id)"])
    }
}
