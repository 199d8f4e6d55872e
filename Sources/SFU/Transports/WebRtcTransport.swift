import NIOCore
import SocketIO
import STUN

/// A WebRTC endpoint's transport (mediasoup's WebRtcTransport): ICE-lite over UDP and ICE-TCP,
/// DTLS, SRTP, on its own sockets or on a worker's shared WebRtcServer ports.
public final class WebRtcTransport: Transport, @unchecked Sendable {
    public let iceCandidates: [IceCandidate]
    public let dtlsParameters: DtlsParameters
    public let iceRole = "controlled"

    private var iceServer: IceServer
    private var dtls: DtlsTransport?
    private var remoteDtlsParameters: DtlsParameters?
    private var paths: [TransportTuple: MediaPath] = [:]
    /// Where packets leave now: the selected tuple's path, its destination ready for `sendto`.
    /// Worked out when ICE events or paths change rather than per packet (hashing a tuple's two
    /// addresses cost more than the send).
    private var route: Route?
    private var sendSession: SrtpSession?
    private var receiveSession: SrtpSession?
    private var dtlsState: DtlsState = .new
    private let webRtcServer: WebRtcServer?
    /// Its own sockets; nil on a WebRtcServer.
    private let listeners: MediaListeners?

    private init(
        router: Router, iceServer: IceServer, candidates: [IceCandidate], webRtcServer: WebRtcServer?,
        listeners: MediaListeners?
    ) {
        self.iceServer = iceServer
        self.iceCandidates = candidates
        self.webRtcServer = webRtcServer
        self.listeners = listeners
        self.dtlsParameters = DtlsParameters(role: .auto, fingerprints: router.worker.dtlsCertificate.fingerprints)
        super.init(router: router)
    }

    static func open(router: Router, options: WebRtcTransportOptions) async throws -> WebRtcTransport {
        let worker = router.worker
        let consent = TimeAmount.seconds(Int64(max(0, options.iceConsentTimeout)))
        let iceServer = IceServer(parameters: .random(), consentTimeout: consent)
        if let server = options.webRtcServer {
            guard server.worker === worker else {
                throw EngineError.invalidArgument("webRtcServer belongs to another worker")
            }
            let candidates = IceCandidate.candidates(
                webRtcServerListenInfos: server.candidateSources, enableUdp: options.enableUdp,
                enableTcp: options.enableTcp ?? true, preferUdp: options.preferUdp, preferTcp: options.preferTcp)
            return try await worker.onLoop {
                let transport = WebRtcTransport(
                    router: router, iceServer: iceServer, candidates: candidates, webRtcServer: server,
                    listeners: nil)
                try server.register(transport)
                transport.start(options)
                return transport
            }
        }

        let enableTcp = options.enableTcp ?? false
        let infos = options.listenInfos.filter { $0.protocol == .udp ? options.enableUdp : enableTcp }
        guard !infos.isEmpty else { throw EngineError.invalidArgument("no listenInfos for the enabled protocols") }
        let listeners = try await MediaListeners.open(
            infos, worker: worker, udpOptions: UdpSocket.Options(vectorReadCount: 16, receiveBufferSize: 1 << 20))
        let candidates = IceCandidate.candidates(listenInfos: listeners.candidateSources)
        return try await worker.onLoop {
            let transport = WebRtcTransport(
                router: router, iceServer: iceServer, candidates: candidates, webRtcServer: nil, listeners: listeners)
            listeners.attach(
                onPacket: { [unowned transport] packet, tuple, path in transport.receive(packet, tuple: tuple, path: path) },
                onConnectionClosed: { [weak transport] connection in transport?.tcpConnectionClosed(connection) })
            transport.start(options)
            return transport
        }
    }

    /// The last step of opening, on the loop, once packets can reach the transport.
    private func start(_ options: WebRtcTransportOptions) {
        if options.enableSctp {
            enableSctp(numStreams: options.numSctpStreams, maxMessageSize: options.maxSctpMessageSize)
        }
        drainIceEvents(now: .now())
        startTimers()
    }

    // MARK: - Public API

    public var iceParameters: IceParameters {
        get async { (try? await worker.onLoop { [self] in iceServer.parameters }) ?? iceServer.parameters }
    }

    public var iceState: IceState {
        get async { (try? await worker.onLoop { [self] in iceServer.state }) ?? .closed }
    }

    public var currentDtlsState: DtlsState {
        get async { (try? await worker.onLoop { [self] in dtlsState }) ?? .closed }
    }

    public var iceSelectedTuple: TransportTupleDescription? {
        get async { try? await worker.onLoop { [self] in iceServer.selectedTuple.map(describe) } ?? nil }
    }

    /// Gives the remote DTLS role and fingerprints; only once ("connect() already called").
    public func connect(dtlsParameters remote: DtlsParameters) async throws {
        guard let fingerprint = remote.fingerprints.first else {
            throw EngineError.invalidArgument("empty dtlsParameters.fingerprints")
        }
        _ = fingerprint
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            guard remoteDtlsParameters == nil else { throw EngineError.invalidState("connect() already called") }
            remoteDtlsParameters = remote
            try mayRunDtls(now: .now())
        }
    }

    /// New ICE credentials; the old ones keep working until the client checks with the new ones.
    public func restartIce() async throws -> IceParameters {
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            let parameters = iceServer.restartIce(now: .now())
            drainIceEvents(now: .now())
            return parameters
        }
    }

    public func getStats() async -> TransportStats {
        (try? await worker.onLoop { [self] in
            var stats = TransportStats(type: "webrtc-transport", transportId: id, counters: counters, maxIncomingBitrate: incomingBitrateLimit.bitrate)
            addOutgoingBandwidthStats(to: &stats, now: .now())
            stats.sctpState = sctpAssociation?.state
            stats.iceRole = iceRole
            stats.iceState = iceServer.state
            stats.iceSelectedTuple = iceServer.selectedTuple.map(describe)
            stats.dtlsState = dtlsState
            return stats
        }) ?? TransportStats(type: "webrtc-transport", transportId: id, counters: TransportCounters())
    }

    // MARK: - Receiving

    /// A packet from the network, on the loop: from this transport's sockets, or routed here
    /// by the WebRtcServer.
    func receive(_ packet: ByteBuffer, tuple: TransportTuple, path: MediaPath) {
        guard !isClosed else { return }
        guard let first = packet.getInteger(at: packet.readerIndex, as: UInt8.self) else { return dropDatagram() }
        let now = NIODeadline.now()
        switch first {
        case 0...3:
            if let response = iceServer.handleStunPacket(packet, tuple: tuple, now: now) {
                path.send(response, to: tuple.remoteAddress)
            }
            if iceServer.isValid(tuple: tuple) {
                paths[tuple] = path
                if case .tcp(let connection) = path { connection.isClaimed = true }
            }
            drainIceEvents(now: now)
        case 20...63:
            guard acceptMedia(from: tuple, path: path), let dtls else { return dropDatagram() }
            dtls.feed(packet)
            drainDtls(now: now)
        case 128...191:
            // Not once DTLS closed (the peer's close_notify): its media ends with it, as in mediasoup.
            guard dtlsState == .connected, acceptMedia(from: tuple, path: path), let receiveSession else {
                return dropDatagram()
            }
            receiveMedia(packet, isRtcp: RtcpHeader.looksLikeRtcp(packet), session: receiveSession, now: now)
        default:
            dropDatagram()
        }
    }

    private func acceptMedia(from tuple: TransportTuple, path: MediaPath) -> Bool {
        guard iceServer.isValid(tuple: tuple) else { return false }
        if iceServer.selectedTuple != tuple {
            iceServer.mayForceSelectedTuple(tuple)
            drainIceEvents(now: .now())
        }
        return true
    }

    private func dropDatagram() {
        counters.droppedDatagrams += 1
    }

    func tcpConnectionClosed(_ connection: TcpMediaConnection) {
        guard !isClosed else { return }
        paths[connection.tuple] = nil
        iceServer.removeTuple(connection.tuple, now: .now())
        drainIceEvents(now: .now())
    }

    // MARK: - ICE and DTLS state

    private func drainIceEvents(now: NIODeadline) {
        var stateChanged = false
        // An ICE-TCP connection whose tuple is gone (consent lost, evicted, restarted) is closed,
        // as mediasoup does: nothing would send on it again, and it would hold its descriptor.
        var unusedConnections: [TcpMediaConnection] = []
        while let event = iceServer.pollEvent() {
            webRtcServer?.apply(event, from: self)
            switch event {
            case .stateChanged(let state):
                eventSink.yield(.iceStateChange(state))
                stateChanged = true
            case .selectedTupleChanged(let tuple):
                eventSink.yield(.iceSelectedTupleChange(tuple))
            case .tupleRemoved(let tuple):
                if case .tcp(let connection)? = paths.removeValue(forKey: tuple) { unusedConnections.append(connection) }
            case .tupleAdded, .localUsernameFragmentAdded, .localUsernameFragmentRemoved:
                break
            }
        }
        updateRoute()
        if stateChanged {
            try? mayRunDtls(now: now)
            mediaReadinessChanged()
        }
        for connection in unusedConnections {
            connection.close()
        }
    }

    /// Starts DTLS once `connect` gave the remote parameters and ICE has a selected tuple.
    private func mayRunDtls(now: NIODeadline) throws {
        guard dtls == nil, let remote = remoteDtlsParameters, let fingerprint = remote.fingerprints.first,
            iceServer.state == .connected || iceServer.state == .completed
        else { return }
        let role = DtlsRole.local(forRemote: remote.role ?? .auto)
        let transport = try DtlsTransport(context: try worker.dtlsContext, role: role, remoteFingerprint: fingerprint)
        dtls = transport
        transport.start()
        drainDtls(now: now)
    }

    private func drainDtls(now: NIODeadline) {
        guard let dtls else { return }
        while let datagram = dtls.pollDatagram() {
            sendToSelectedTuple(datagram)
        }
        while let event = dtls.pollEvent() {
            switch event {
            case .connecting:
                setDtlsState(.connecting)
            case .connected(let keys):
                do {
                    let suite = SrtpCryptoSuite(rawValue: keys.profile.rawValue) ?? .aesCm128HmacSha1_80
                    let backend = worker.settings.srtpBackend
                    sendSession = try SrtpSession(
                        direction: .outbound,
                        masterKey: SrtpMasterKey(suite: suite, key: keys.localMasterKey, salt: keys.localMasterSalt),
                        backend: backend)
                    receiveSession = try SrtpSession(
                        direction: .inbound,
                        masterKey: SrtpMasterKey(suite: suite, key: keys.remoteMasterKey, salt: keys.remoteMasterSalt),
                        backend: backend)
                    setDtlsState(.connected)
                    startSctp()
                } catch {
                    logger.error("SRTP session creation failed", metadata: ["transportId": "\(id)", "error": "\(error)"])
                    setDtlsState(.failed)
                }
                mediaReadinessChanged()
            case .failed(let reason):
                logger.warning("DTLS failed", metadata: ["transportId": "\(id)", "reason": "\(reason)"])
                setDtlsState(.failed)
                mediaReadinessChanged()
            case .closed:
                setDtlsState(.closed)
                mediaReadinessChanged()
            case .applicationData(let packet):
                receiveSctpPacket(packet)
            }
        }
    }

    private func setDtlsState(_ state: DtlsState) {
        guard state != dtlsState else { return }
        dtlsState = state
        eventSink.yield(.dtlsStateChange(state))
    }

    private enum Route {
        case udp(UdpSocket, UdpDestination)
        case tcp(TcpMediaConnection)
    }

    private func updateRoute() {
        guard let tuple = iceServer.selectedTuple, let path = paths[tuple] else {
            route = nil
            return
        }
        switch path {
        case .udp(let socket): route = .udp(socket, UdpDestination(tuple.remoteAddress))
        case .tcp(let connection): route = .tcp(connection)
        }
    }

    private func sendToSelectedTuple(_ packet: ByteBuffer) {
        switch route {
        case .udp(let socket, let destination): socket.send(packet, to: destination)
        case .tcp(let connection): connection.send(packet)
        case nil: return
        }
    }

    // MARK: - Transport hooks

    override var isMediaReady: Bool {
        sendSession != nil && dtlsState == .connected && iceServer.selectedTuple != nil
    }

    override func sendRtpPacket(_ packet: consuming RtpPacket) {
        guard let sendSession else { return }
        var buffer = (consume packet).buffer
        guard case .success = sendSession.protectRtp(&buffer) else { return }
        sendToSelectedTuple(buffer)
    }

    override func srtpStreamsEnded(sent: [UInt32], received: [UInt32]) {
        for ssrc in sent { sendSession?.removeStream(ssrc: ssrc) }
        for ssrc in received { receiveSession?.removeStream(ssrc: ssrc) }
    }

    override func sendRtcpPacket(_ buffer: ByteBuffer) {
        guard let sendSession else { return }
        var buffer = buffer
        guard case .success = sendSession.protectRtcp(&buffer) else { return }
        sendToSelectedTuple(buffer)
    }

    override func sendSctpPacket(_ packet: ByteBuffer) {
        guard let dtls, dtlsState == .connected, (try? dtls.send(packet)) != nil else { return }
        // Only the records: events are drained by the caller's own drainDtls.
        while let datagram = dtls.pollDatagram() { sendToSelectedTuple(datagram) }
    }

    override func tick(now: NIODeadline) {
        if let dtls, let deadline = dtls.nextTimeout(now: now), deadline <= now {
            dtls.handleTimeout()
            drainDtls(now: now)
        }
        if let deadline = iceServer.nextTimeout, deadline <= now {
            iceServer.handleTimeout(now: now)
            drainIceEvents(now: now)
        }
        super.tick(now: now)
    }

    override func closeResources() {
        dtls?.close()
        drainDtls(now: .now())
        iceServer.close()
        webRtcServer?.unregister(self)
        listeners?.close()
        // A WebRtcServer's connections outlive its transports' listeners: close this one's.
        for case .tcp(let connection) in paths.values {
            connection.close()
        }
        paths.removeAll()
        route = nil
    }

    private func describe(_ tuple: TransportTuple) -> TransportTupleDescription {
        let advertised = iceCandidates.first {
            $0.port == UInt16(tuple.localAddress.port ?? 0) && $0.transportProtocol == tuple.transportProtocol
        }?.address
        return TransportTupleDescription(
            localAddress: advertised ?? tuple.localAddress.ipAddress ?? "", localPort: tuple.localAddress.port ?? 0,
            remoteIp: tuple.remoteAddress.ipAddress, remotePort: tuple.remoteAddress.port,
            protocol: tuple.transportProtocol)
    }
}
