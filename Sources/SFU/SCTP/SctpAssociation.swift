import CUsrsctp
import Glibc
import NIOCore

/// One SCTP association over a transport's DTLS (RFC 8261), run by usrsctp through its
/// callback ("AF_CONN") interface: the transport feeds it the SCTP packets DTLS decrypts
/// (``receive(_:)``) and sends what it hands to ``onOutput``. Messages, state changes and
/// stream resets arrive through ``onEvent``.
///
/// Both ends connect at once from port 5000 (WebRTC's simultaneous open), after DTLS is up.
///
/// Threading: owned by one event loop; call everything there. usrsctp's callbacks, which may run
/// on another worker's thread or the timer thread, only queue; the queues are delivered on
/// this loop.
final class SctpAssociation: @unchecked Sendable {
    enum Event {
        case stateChange(SctpAssociationState)
        case message(SctpMessage)
        /// The peer reset these incoming streams of ours on its own (it closed its data
        /// channels); the association has reset its outgoing side back (RFC 8831 §6.7). Its
        /// answers to our resets are not reported.
        case incomingStreamsReset([UInt16])
    }

    static let port: UInt16 = 5000
    /// Largest SCTP packet sent, before DTLS.
    static let packetSize = 1200
    private static let sctpLevel = Int32(IPPROTO_SCTP)

    let eventLoop: any EventLoop
    let parameters: SctpParameters
    var onOutput: (ByteBuffer) -> Void = { _ in }
    var onEvent: (Event) -> Void = { _ in }
    private(set) var state = SctpAssociationState.new
    /// Messages dropped: over `maxMessageSize` either way, or sent while not connected.
    var droppedMessages: Int { library.lock.withLock { droppedMessageCount } }
    // Guarded by `library.lock`: counted by callbacks too.
    private var droppedMessageCount = 0

    private let library = UsrSctp.shared
    private var socket: OpaquePointer?
    private var address: UnsafeMutableRawPointer?
    // Guarded by `library.lock`: filled by usrsctp callbacks, drained on the loop.
    private var pendingOutput: [ByteBuffer] = []
    private var pendingEvents: [Event] = []
    private var deliveryScheduled = false
    /// Parts of messages usrsctp delivered in pieces, by stream (guarded by the library lock).
    private var partialMessages: [UInt16: ByteBuffer] = [:]
    /// Streams whose current message grew past `maxMessageSize`: its remaining pieces are
    /// dropped up to its end (guarded by the library lock).
    private var discardingStreams: Set<UInt16> = []
    /// Streams we closed whose peer has not reset its side back yet: its reset of one is an
    /// answer, not a closing of its own to answer in turn (on the loop only).
    private var streamsAwaitingPeerReset: Set<UInt16> = []
    /// Streams the peer closed and we reset back: both sides are closed, so closing one here
    /// (its data producer, say) sends nothing (on the loop only).
    private var streamsClosedByPeer: Set<UInt16> = []

    init(eventLoop: any EventLoop, parameters: SctpParameters) {
        self.eventLoop = eventLoop
        self.parameters = parameters
    }

    deinit {
        if address != nil { release() }
    }

    // MARK: - Driving

    /// Opens the socket and sends INIT; call once DTLS is connected.
    func connect() {
        eventLoop.preconditionInEventLoop()
        guard state == .new else { return }
        let opened = library.lock.withLock { () -> Bool in
            let address = library.register(self)
            self.address = address
            let context = UnsafeMutableRawPointer(address)
            guard let socket = usrsctp_socket(AF_CONN, Int32(SOCK_STREAM.rawValue), Self.sctpLevel, sctpReceive, nil, 0, context) else {
                return false
            }
            self.socket = socket
            configure(socket)
            // Local and remote are the same AF_CONN address: port 5000 at our registered address.
            var local = socketAddress(address)
            let length = socklen_t(MemoryLayout<sockaddr_conn>.size)
            return withUnsafeMutablePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    guard usrsctp_bind(socket, address, length) == 0 else { return false }
                    // Non-blocking: connect answers EINPROGRESS and completes with SCTP_COMM_UP.
                    guard usrsctp_connect(socket, address, length) == 0 || errno == EINPROGRESS else { return false }
                    fixPathMtu(socket, remote: address)
                    return true
                }
            }
        }
        setState(opened ? .connecting : .failed)
        deliver()
    }

    /// An SCTP packet from the peer (DTLS application data).
    func receive(_ packet: ByteBuffer) {
        eventLoop.preconditionInEventLoop()
        guard let address, state == .connecting || state == .connected else { return }
        packet.withUnsafeReadableBytes { bytes in
            library.lock.withLock { usrsctp_conninput(address, bytes.baseAddress, bytes.count, 0) }
        }
        deliver()
    }

    /// Sends one message on `streamId`; ordered and reliable unless the stream parameters say
    /// otherwise. An empty payload is sent as the one-byte "empty" message of its kind.
    func send(
        _ payload: ByteBuffer, ppid: SctpPayloadProtocol, streamId: UInt16, ordered: Bool = true,
        maxPacketLifeTime: Int? = nil, maxRetransmits: Int? = nil
    ) throws(SctpError) {
        eventLoop.preconditionInEventLoop()
        guard state == .connected, let socket else {
            countDroppedMessage()
            throw .notConnected
        }
        guard payload.readableBytes <= parameters.maxMessageSize else {
            countDroppedMessage()
            throw .messageTooLarge(size: payload.readableBytes, maxMessageSize: parameters.maxMessageSize)
        }
        streamInUse(streamId)
        var ppid = ppid
        var bytes = Array(payload.readableBytesView)
        if bytes.isEmpty {
            ppid = ppid == .binary || ppid == .emptyBinary ? .emptyBinary : .emptyString
            bytes = [0]
        }
        var info = sctp_sendv_spa()
        info.sendv_flags = UInt32(SCTP_SEND_SNDINFO_VALID)
        info.sendv_sndinfo.snd_sid = streamId
        info.sendv_sndinfo.snd_ppid = ppid.rawValue.bigEndian
        info.sendv_sndinfo.snd_flags = UInt16(SCTP_EOR) | (ordered ? 0 : UInt16(SCTP_UNORDERED))
        if let maxPacketLifeTime {
            info.sendv_flags |= UInt32(SCTP_SEND_PRINFO_VALID)
            info.sendv_prinfo.pr_policy = UInt16(SCTP_PR_SCTP_TTL)
            info.sendv_prinfo.pr_value = UInt32(clamping: maxPacketLifeTime)
        } else if let maxRetransmits {
            info.sendv_flags |= UInt32(SCTP_SEND_PRINFO_VALID)
            info.sendv_prinfo.pr_policy = UInt16(SCTP_PR_SCTP_RTX)
            info.sendv_prinfo.pr_value = UInt32(clamping: maxRetransmits)
        }
        let (sent, error) = library.lock.withLock { () -> (Int, Int32) in
            let sent = usrsctp_sendv(
                socket, bytes, bytes.count, nil, 0, &info, socklen_t(MemoryLayout<sctp_sendv_spa>.size),
                UInt32(SCTP_SENDV_SPA), 0)
            return (sent, errno)
        }
        deliver()
        guard sent >= 0 else {
            countDroppedMessage()
            throw .sendFailed(errno: error)
        }
    }

    private func countDroppedMessage() {
        library.lock.withLock { droppedMessageCount += 1 }
    }

    /// Closes `streams` (their data channels): resets our outgoing side, which the peer answers
    /// by resetting its own. Streams the peer closed already need nothing.
    func resetOutgoingStreams(_ streams: [UInt16]) {
        eventLoop.preconditionInEventLoop()
        let closing = streams.filter { streamsClosedByPeer.remove($0) == nil }
        streamsAwaitingPeerReset.formUnion(closing)
        sendReset(of: closing)
    }

    /// We send on a stream again (a new channel of ours on its id): whatever reset was pending
    /// on it is over.
    private func streamInUse(_ stream: UInt16) {
        if !streamsAwaitingPeerReset.isEmpty { streamsAwaitingPeerReset.remove(stream) }
        if !streamsClosedByPeer.isEmpty { streamsClosedByPeer.remove(stream) }
    }

    private func sendReset(of streams: [UInt16]) {
        guard state == .connected, let socket, !streams.isEmpty else { return }
        let header = MemoryLayout<sctp_reset_streams>.size
        let length = header + streams.count * MemoryLayout<UInt16>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: MemoryLayout<sctp_reset_streams>.alignment)
        defer { raw.deallocate() }
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: length)
        let request = raw.bindMemory(to: sctp_reset_streams.self, capacity: 1)
        request.pointee.srs_assoc_id = sctp_assoc_t(SCTP_ALL_ASSOC)
        request.pointee.srs_flags = UInt16(SCTP_STREAM_RESET_OUTGOING)
        request.pointee.srs_number_streams = UInt16(streams.count)
        // The stream list is a flexible array member, which Swift does not import: it follows
        // the fixed fields.
        let list = (raw + header)
            .bindMemory(to: UInt16.self, capacity: streams.count)
        for (index, stream) in streams.enumerated() { list[index] = stream }
        library.lock.withLock {
            _ = usrsctp_setsockopt(socket, Self.sctpLevel, Int32(SCTP_RESET_STREAMS), raw, socklen_t(length))
        }
        deliver()
    }

    /// Aborts the association and frees its usrsctp socket; no events follow.
    func close() {
        eventLoop.preconditionInEventLoop()
        guard address != nil else {
            state = .closed
            return
        }
        release()
        state = .closed
    }

    private func release() {
        library.lock.withLock {
            if let socket { usrsctp_close(socket) }
            if let address { library.deregister(address) }
            socket = nil
            address = nil
            pendingOutput.removeAll()
            pendingEvents.removeAll()
            partialMessages.removeAll()
            discardingStreams.removeAll()
        }
    }

    // MARK: - Callbacks (run with the library lock held)

    func queueOutput(_ bytes: UnsafeRawBufferPointer) {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        pendingOutput.append(buffer)
        scheduleDelivery()
    }

    func queueEvent(_ event: Event) {
        pendingEvents.append(event)
        scheduleDelivery()
    }

    private func scheduleDelivery() {
        guard !deliveryScheduled else { return }
        deliveryScheduled = true
        eventLoop.execute { [weak self] in self?.deliver() }
    }

    // MARK: - Delivery (on the loop, lock released)

    private func deliver() {
        let (output, events) = library.lock.withLock { () -> ([ByteBuffer], [Event]) in
            deliveryScheduled = false
            defer {
                pendingOutput.removeAll(keepingCapacity: true)
                pendingEvents.removeAll(keepingCapacity: true)
            }
            return (pendingOutput, pendingEvents)
        }
        for packet in output { onOutput(packet) }
        for event in events { handle(event) }
    }

    private func handle(_ event: Event) {
        switch event {
        case .stateChange(let newState):
            setState(newState)
        case .message(var message):
            // The peer opened a new channel on the id. (Its data may still come after we reset
            // the stream, before its answer: that keeps the answer expected.)
            if !streamsClosedByPeer.isEmpty { streamsClosedByPeer.remove(message.streamId) }
            if message.ppid == .emptyString || message.ppid == .emptyBinary {
                message.payload.moveReaderIndex(to: message.payload.writerIndex)
            }
            onEvent(.message(message))
        case .incomingStreamsReset(let streams):
            library.lock.withLock {
                for stream in streams {
                    partialMessages[stream] = nil
                    discardingStreams.remove(stream)
                }
            }
            // Answers to our resets, and repeats of a closing already answered, end here: a
            // second answer would start two associations of ours resetting each other for ever.
            let peerInitiated = streams.filter {
                streamsAwaitingPeerReset.remove($0) == nil && !streamsClosedByPeer.contains($0)
            }
            guard !peerInitiated.isEmpty else { return }
            // Both directions end, as mediasoup does for WebRTC: a browser's channel stays
            // "closing", and its id taken, until its incoming side is reset too.
            streamsClosedByPeer.formUnion(peerInitiated)
            sendReset(of: peerInitiated)
            onEvent(.incomingStreamsReset(peerInitiated))
        }
    }

    private func setState(_ newState: SctpAssociationState) {
        guard newState != state, state != .closed else { return }
        state = newState
        onEvent(.stateChange(newState))
    }

    /// A piece of a message from usrsctp: whole messages go out as events, pieces wait for the
    /// rest; a message growing past `maxMessageSize` is dropped. Runs with the lock held.
    func received(_ bytes: UnsafeRawBufferPointer, streamId: UInt16, ppid: UInt32, isEnd: Bool) {
        if discardingStreams.contains(streamId) {
            if isEnd { discardingStreams.remove(streamId) }
            return
        }
        var buffer = partialMessages.removeValue(forKey: streamId) ?? ByteBufferAllocator().buffer(capacity: bytes.count)
        guard buffer.readableBytes + bytes.count <= parameters.maxMessageSize else {
            droppedMessageCount += 1
            EngineMetrics.droppedSctpMessages.increment()
            if !isEnd { discardingStreams.insert(streamId) }
            return
        }
        buffer.writeBytes(bytes)
        guard isEnd else {
            partialMessages[streamId] = buffer
            return
        }
        queueEvent(.message(SctpMessage(streamId: streamId, ppid: SctpPayloadProtocol(rawValue: ppid), payload: buffer)))
    }

    /// An SCTP notification from usrsctp. Runs with the lock held.
    func notified(_ notification: UnsafeRawBufferPointer) {
        guard notification.count >= MemoryLayout<sctp_tlv>.size else { return }
        let type = notification.loadUnaligned(as: sctp_tlv.self).sn_type
        switch Int32(type) {
        case SCTP_ASSOC_CHANGE:
            guard notification.count >= MemoryLayout<sctp_assoc_change>.size else { return }
            switch Int32(notification.loadUnaligned(as: sctp_assoc_change.self).sac_state) {
            case SCTP_COMM_UP, SCTP_RESTART: queueEvent(.stateChange(.connected))
            case SCTP_COMM_LOST, SCTP_SHUTDOWN_COMP: queueEvent(.stateChange(.closed))
            case SCTP_CANT_STR_ASSOC: queueEvent(.stateChange(.failed))
            default: break
            }
        case SCTP_STREAM_RESET_EVENT:
            // The stream list (a flexible array member) follows the fixed fields.
            let header = MemoryLayout<sctp_stream_reset_event>.size
            guard notification.count >= header else { return }
            let event = notification.loadUnaligned(as: sctp_stream_reset_event.self)
            let flags = Int32(event.strreset_flags)
            guard flags & SCTP_STREAM_RESET_INCOMING_SSN != 0,
                flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED) == 0
            else { return }
            let count = (min(Int(event.strreset_length), notification.count) - header) / 2
            let streams = (0..<max(0, count)).map {
                notification.loadUnaligned(fromByteOffset: header + 2 * $0, as: UInt16.self)
            }
            queueEvent(.incomingStreamsReset(streams))
        case SCTP_PARTIAL_DELIVERY_EVENT:
            // A message delivered in part was abandoned (partial reliability): its first pieces
            // must not be glued to the next message of the stream.
            guard notification.count >= MemoryLayout<sctp_pdapi_event>.size else { return }
            let event = notification.loadUnaligned(as: sctp_pdapi_event.self)
            guard event.pdapi_indication == UInt32(SCTP_PARTIAL_DELIVERY_ABORTED) else { return }
            let stream = UInt16(truncatingIfNeeded: event.pdapi_stream)
            partialMessages[stream] = nil
            discardingStreams.remove(stream)
        default:
            break
        }
    }

    // MARK: - Socket setup (lock held)

    private func configure(_ socket: OpaquePointer) {
        _ = usrsctp_set_non_blocking(socket, 1)
        var on: Int32 = 1
        _ = usrsctp_setsockopt(socket, Self.sctpLevel, Int32(SCTP_RECVRCVINFO), &on, socklen_t(MemoryLayout<Int32>.size))
        // A message larger than the send buffer cannot be sent at all (EMSGSIZE).
        var bufferSize = Int32(clamping: max(262_144, parameters.maxMessageSize))
        _ = usrsctp_setsockopt(socket, SOL_SOCKET, SO_SNDBUF, &bufferSize, socklen_t(MemoryLayout<Int32>.size))
        _ = usrsctp_setsockopt(socket, Self.sctpLevel, Int32(SCTP_NODELAY), &on, socklen_t(MemoryLayout<Int32>.size))
        // Close aborts at once instead of lingering through a SHUTDOWN handshake.
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = usrsctp_setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        var reset = sctp_assoc_value(assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC), assoc_value: UInt32(SCTP_ENABLE_RESET_STREAM_REQ))
        _ = usrsctp_setsockopt(
            socket, Self.sctpLevel, Int32(SCTP_ENABLE_STREAM_RESET), &reset, socklen_t(MemoryLayout<sctp_assoc_value>.size))
        var initMessage = sctp_initmsg()
        initMessage.sinit_num_ostreams = UInt16(clamping: parameters.OS)
        initMessage.sinit_max_instreams = UInt16(clamping: parameters.MIS)
        _ = usrsctp_setsockopt(socket, Self.sctpLevel, Int32(SCTP_INITMSG), &initMessage, socklen_t(MemoryLayout<sctp_initmsg>.size))
        for type in [SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT, SCTP_PARTIAL_DELIVERY_EVENT] {
            var event = sctp_event(se_assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC), se_type: UInt16(type), se_on: 1)
            _ = usrsctp_setsockopt(socket, Self.sctpLevel, Int32(SCTP_EVENT), &event, socklen_t(MemoryLayout<sctp_event>.size))
        }
    }

    /// Packets of at most 1 200 bytes, as mediasoup: usrsctp cannot discover the path MTU over
    /// DTLS, and its default (1 280 and more) plus DTLS and UDP would not pass IPv6 tunnels and
    /// VPNs, where every full packet would be lost and the association fail.
    private func fixPathMtu(_ socket: OpaquePointer, remote: UnsafePointer<sockaddr>) {
        var parameters = sctp_paddrparams()
        withUnsafeMutableBytes(of: &parameters.spp_address) { storage in
            storage.copyMemory(from: UnsafeRawBufferPointer(start: remote, count: MemoryLayout<sockaddr_conn>.size))
        }
        parameters.spp_flags = UInt32(SPP_PMTUD_DISABLE)
        // The MTU given is the room for chunks: the common header comes off.
        parameters.spp_pathmtu = UInt32(Self.packetSize - MemoryLayout<sctp_common_header>.size)
        _ = usrsctp_setsockopt(
            socket, Self.sctpLevel, Int32(SCTP_PEER_ADDR_PARAMS), &parameters, socklen_t(MemoryLayout<sctp_paddrparams>.size))
    }

    private func socketAddress(_ address: UnsafeMutableRawPointer) -> sockaddr_conn {
        var local = sockaddr_conn()
        local.sconn_family = UInt16(AF_CONN)
        local.sconn_port = Self.port.bigEndian
        local.sconn_addr = address
        return local
    }
}

/// usrsctp's receive upcall: a message piece or a notification for the association whose
/// address is `context`. usrsctp hands over `data` (malloc'd); it is freed here.
private func sctpReceive(
    socket: OpaquePointer?, address: sctp_sockstore, data: UnsafeMutableRawPointer?, length: Int,
    info: sctp_rcvinfo, flags: Int32, context: UnsafeMutableRawPointer?
) -> Int32 {
    defer { free(data) }
    guard let data, let association = UsrSctp.shared.association(at: context) else { return 1 }
    let bytes = UnsafeRawBufferPointer(start: data, count: length)
    if flags & Int32(MSG_NOTIFICATION) != 0 {
        association.notified(bytes)
    } else {
        association.received(
            bytes, streamId: info.rcv_sid, ppid: UInt32(bigEndian: info.rcv_ppid), isEnd: flags & Int32(MSG_EOR) != 0)
    }
    return 1
}
