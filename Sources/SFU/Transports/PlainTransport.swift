import NIOCore
import SocketIO

/// Plain RTP/RTCP over UDP, optionally with SDES-keyed SRTP (mediasoup's PlainTransport): what
/// ffmpeg and GStreamer broadcasters and `sfu-bench` use.
///
/// With `comedia` the remote address is the source of the first packet; otherwise `connect`
/// gives it. Either way the socket is then connected to it (connect(2)): sends skip the
/// kernel's per-packet route lookup (about 7% of a fan-out's CPU on loopback), and the kernel
/// refuses datagrams from any other address; one that slips in before is dropped and counted.
///
/// ``PipeTransport`` is the same wire between two routers.
public class PlainTransport: Transport, @unchecked Sendable {
    public let rtcpMux: Bool
    public let comedia: Bool
    /// Our SRTP keys, to hand to the remote side; nil without SRTP.
    public let srtpParameters: SrtpParameters?
    public let listenInfo: TransportListenInfo

    private let socket: UdpSocket
    private let rtcpSocket: UdpSocket?
    private var remoteAddress: SocketAddress?
    private var remoteRtcpAddress: SocketAddress?
    /// The same addresses ready for `sendto`.
    private var remote: UdpDestination?
    private var remoteRtcp: UdpDestination?
    private let sendSession: SrtpSession?
    private var receiveSession: SrtpSession?
    private var connected = false

    init(
        router: Router, options: PlainTransportOptions, socket: UdpSocket, rtcpSocket: UdpSocket?,
        localKey: SrtpMasterKey?
    ) throws {
        self.rtcpMux = options.rtcpMux
        self.comedia = options.comedia
        self.listenInfo = options.listenInfo
        self.socket = socket
        self.rtcpSocket = rtcpSocket
        self.srtpParameters = localKey.map(SrtpParameters.init(masterKey:))
        self.sendSession = try localKey.map {
            try SrtpSession(direction: .outbound, masterKey: $0, backend: router.worker.settings.srtpBackend)
        }
        super.init(router: router)
    }

    static func open(router: Router, options: PlainTransportOptions) async throws -> PlainTransport {
        try await open(router: router, options: options) {
            try PlainTransport(router: $0, options: $1, socket: $2, rtcpSocket: $3, localKey: $4)
        }
    }

    /// Binds the sockets and sets up the transport `make` creates from them, on the loop.
    static func open<T: PlainTransport>(
        router: Router, options: PlainTransportOptions,
        make: @escaping @Sendable (Router, PlainTransportOptions, UdpSocket, UdpSocket?, SrtpMasterKey?) throws -> T
    ) async throws -> T {
        guard options.listenInfo.protocol == .udp else {
            throw EngineError.invalidArgument("PlainTransport listenInfo.protocol must be udp")
        }
        let worker = router.worker
        let socket = try await bindSocket(options.listenInfo, worker: worker)
        var rtcpSocket: UdpSocket?
        if !options.rtcpMux {
            do {
                rtcpSocket = try await bindSocket(options.rtcpListenInfo ?? options.listenInfo.withoutPort, worker: worker)
            } catch {
                _ = try? await worker.onLoop { socket.close() }
                throw error
            }
        }
        let sockets = (socket, rtcpSocket)
        return try await worker.onLoop {
            do {
                let key = options.enableSrtp ? try SrtpMasterKey.random(suite: options.srtpCryptoSuite) : nil
                let transport = try make(router, options, sockets.0, sockets.1, key)
                if options.enableSctp {
                    transport.enableSctp(numStreams: options.numSctpStreams, maxMessageSize: options.maxSctpMessageSize)
                }
                transport.attachSockets()
                transport.startTimers()
                return transport
            } catch {
                sockets.0.close()
                sockets.1?.close()
                throw error
            }
        }
    }

    private static func bindSocket(_ info: TransportListenInfo, worker: Worker) async throws -> UdpSocket {
        if let port = info.port, port != 0 {
            return try await UdpSocket.bind(host: info.ip, port: port, on: worker.eventLoop)
        }
        return try await UdpSocket.bind(
            host: info.ip, in: info.portRange ?? worker.settings.rtcPortRange, on: worker.eventLoop)
    }

    private func attachSockets() {
        socket.onDatagram = { [unowned self] data, address in receive(data, from: address, onRtcpSocket: false) }
        rtcpSocket?.onDatagram = { [unowned self] data, address in receive(data, from: address, onRtcpSocket: true) }
    }

    // MARK: - Public API

    /// The local RTP tuple (and the remote one once known).
    public var tuple: TransportTupleDescription {
        get async { (try? await worker.onLoop { [self] in describe(socket, remote: remoteAddress) }) ?? describe(socket, remote: nil) }
    }

    /// The local RTCP tuple when RTCP has its own port.
    public var rtcpTuple: TransportTupleDescription? {
        get async {
            guard let rtcpSocket else { return nil }
            return try? await worker.onLoop { [self] in describe(rtcpSocket, remote: remoteRtcpAddress) }
        }
    }

    /// Sets the remote address and, with SRTP, the remote keys. Only once, as in mediasoup.
    public func connect(_ parameters: PlainTransportConnectParameters) async throws {
        let remoteKey: SrtpMasterKey?
        if srtpParameters != nil {
            guard let remote = parameters.srtpParameters else {
                throw EngineError.invalidArgument("missing srtpParameters (SRTP enabled)")
            }
            do {
                remoteKey = try SrtpMasterKey(suite: remote.cryptoSuite, keyBase64: remote.keyBase64)
            } catch {
                throw EngineError.invalidArgument("invalid srtpParameters: \(error)")
            }
        } else if parameters.srtpParameters != nil {
            // As mediasoup: taking them silently would forward the sender's SRTP as if RTP.
            throw EngineError.invalidArgument("invalid srtpParameters (SRTP not enabled)")
        } else {
            remoteKey = nil
        }
        var remote: SocketAddress?
        var remoteRtcp: SocketAddress?
        if !comedia {
            guard let ip = parameters.ip else { throw EngineError.invalidArgument("missing ip") }
            guard let port = parameters.port, (1...65535).contains(port) else {
                throw EngineError.invalidArgument("missing or invalid port")
            }
            do {
                remote = try SocketAddress(ipAddress: ip, port: port)
                if !rtcpMux {
                    guard let rtcpPort = parameters.rtcpPort, (1...65535).contains(rtcpPort) else {
                        throw EngineError.invalidArgument("missing or invalid rtcpPort (rtcpMux disabled)")
                    }
                    remoteRtcp = try SocketAddress(ipAddress: ip, port: rtcpPort)
                }
            } catch let error as EngineError {
                throw error
            } catch {
                throw EngineError.invalidArgument("invalid ip '\(ip)'")
            }
        }
        let addresses = (remote, remoteRtcp)
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            guard !connected else { throw EngineError.invalidState("connect() already called") }
            if let remoteKey {
                receiveSession = try SrtpSession(
                    direction: .inbound, masterKey: remoteKey, backend: worker.settings.srtpBackend)
            }
            connected = true
            if let remote = addresses.0 { setRemote(remote) }
            if let remoteRtcp = addresses.1 { setRemoteRtcp(remoteRtcp) }
            mediaReadinessChanged()
            if remoteAddress != nil { startSctp() }
        }
    }

    // MARK: - Transport hooks

    override var isMediaReady: Bool {
        remoteAddress != nil && (srtpParameters == nil || receiveSession != nil)
    }

    override func sendRtpPacket(_ packet: consuming RtpPacket) {
        guard let remote else { return }
        var buffer = (consume packet).buffer
        if let sendSession {
            guard case .success = sendSession.protectRtp(&buffer) else { return }
        }
        socket.send(buffer, to: remote)
    }

    override func sendSctpPacket(_ packet: ByteBuffer) {
        guard let remote else { return }
        socket.send(packet, to: remote)
    }

    override func srtpStreamsEnded(sent: [UInt32], received: [UInt32]) {
        for ssrc in sent { sendSession?.removeStream(ssrc: ssrc) }
        for ssrc in received { receiveSession?.removeStream(ssrc: ssrc) }
    }

    override func sendRtcpPacket(_ buffer: ByteBuffer) {
        guard let destination = rtcpMux ? remote : remoteRtcp else { return }
        var buffer = buffer
        if let sendSession {
            guard case .success = sendSession.protectRtcp(&buffer) else { return }
        }
        (rtcpSocket ?? socket).send(buffer, to: destination)
    }

    override func closeResources() {
        socket.close()
        rtcpSocket?.close()
    }

    /// The `type` of the stats (mediasoup's names).
    var statsType: String { "plain-rtp-transport" }

    public func getStats() async -> TransportStats {
        let type = statsType
        return (try? await worker.onLoop { [self] in
            var stats = TransportStats(type: type, transportId: id, counters: counters, maxIncomingBitrate: incomingBitrateLimit.bitrate)
            addOutgoingBandwidthStats(to: &stats, now: .now())
            stats.sctpState = sctpAssociation?.state
            stats.rtcpMux = rtcpMux
            stats.comedia = comedia
            stats.tuple = describe(socket, remote: remoteAddress)
            stats.rtcpTuple = rtcpSocket.map { describe($0, remote: remoteRtcpAddress) }
            return stats
        }) ?? TransportStats(type: type, transportId: id, counters: TransportCounters())
    }

    // MARK: - Receiving

    private func receive(_ datagram: ByteBuffer, from address: SocketAddress, onRtcpSocket: Bool) {
        guard !isClosed else { return }
        let now = NIODeadline.now()
        let isRtcp = onRtcpSocket || RtcpHeader.looksLikeRtcp(datagram)
        guard let remote = onRtcpSocket ? remoteRtcpAddress : remoteAddress else {
            return comedia ? receiveFirst(datagram, from: address, onRtcpSocket: onRtcpSocket, isRtcp: isRtcp, now: now) : drop()
        }
        guard address == remote else { return drop() }
        if !onRtcpSocket, sctpAssociation != nil, Self.isSctp(datagram) { return receiveSctpPacket(datagram) }
        guard mayReceiveMedia(datagram, isRtcp: isRtcp) else { return drop() }
        receiveMedia(datagram, isRtcp: isRtcp, session: receiveSession, now: now)
    }

    /// comedia: the first datagram that proves to be the endpoint's (SCTP, or RTP/RTCP that
    /// decrypts and parses, as mediasoup checks) names the remote address of its socket. Anything
    /// else (a port scan, a forged packet) is dropped, rather than lock the endpoint out.
    private func receiveFirst(
        _ datagram: ByteBuffer, from address: SocketAddress, onRtcpSocket: Bool, isRtcp: Bool, now: NIODeadline
    ) {
        if !onRtcpSocket, sctpAssociation != nil, Self.isSctp(datagram) {
            remoteRtpLearned(address)
            return receiveSctpPacket(datagram)
        }
        guard mayReceiveMedia(datagram, isRtcp: isRtcp),
            let buffer = unprotectMedia(datagram, isRtcp: isRtcp, session: receiveSession),
            isRtcp ? (try? RtcpCompoundPacket(parsing: buffer)) != nil : (try? RtpPacket(buffer: buffer)) != nil
        else { return drop() }
        if onRtcpSocket {
            setRemoteRtcp(address)
        } else {
            remoteRtpLearned(address)
        }
        handleMedia(buffer, isRtcp: isRtcp, now: now)
    }

    private func remoteRtpLearned(_ address: SocketAddress) {
        setRemote(address)
        mediaReadinessChanged()
        startSctp()
    }

    /// Whether `datagram` may be RTP or RTCP for this transport: at least the shortest packet (a
    /// fixed RTP header, an RR without report blocks), and the SRTP keys known when it uses SRTP.
    private func mayReceiveMedia(_ datagram: ByteBuffer, isRtcp: Bool) -> Bool {
        datagram.readableBytes >= (isRtcp ? 8 : 12) && (srtpParameters == nil || receiveSession != nil)
    }

    /// mediasoup's test for SCTP on a plain transport: a common header from port 5000 to port
    /// 5000 (an RTP or RTCP first byte is 0x80-0xBF, never 0x13).
    static func isSctp(_ datagram: ByteBuffer) -> Bool {
        datagram.readableBytes >= 12 && datagram.getInteger(at: datagram.readerIndex, as: UInt16.self) == 5000
            && datagram.getInteger(at: datagram.readerIndex + 2, as: UInt16.self) == 5000
    }

    private func drop() {
        counters.droppedDatagrams += 1
    }

    private func setRemote(_ address: SocketAddress) {
        remoteAddress = address
        let destination = UdpDestination(address)
        remote = socket.connect(to: destination) ?? destination
        eventSink.yield(.tuple(tuple(socket, remote: address)))
    }

    private func setRemoteRtcp(_ address: SocketAddress) {
        remoteRtcpAddress = address
        let destination = UdpDestination(address)
        remoteRtcp = rtcpSocket.flatMap { $0.connect(to: destination) } ?? destination
        if let rtcpSocket { eventSink.yield(.rtcpTuple(tuple(rtcpSocket, remote: address))) }
    }

    private func tuple(_ socket: UdpSocket, remote: SocketAddress) -> TransportTuple {
        TransportTuple(localAddress: socket.localAddress, remoteAddress: remote, transportProtocol: .udp)
    }

    private func describe(_ socket: UdpSocket, remote: SocketAddress?) -> TransportTupleDescription {
        TransportTupleDescription(
            localAddress: listenInfo.advertisedAddress, localPort: socket.localAddress.port ?? 0,
            remoteIp: remote?.ipAddress, remotePort: remote?.port, protocol: .udp)
    }
}

extension TransportListenInfo {
    /// The same address on any free port (the RTCP socket of a non-muxed plain transport).
    var withoutPort: TransportListenInfo {
        var info = self
        info.port = nil
        return info
    }
}
