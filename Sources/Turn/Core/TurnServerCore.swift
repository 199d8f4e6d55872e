import NIOCore
import STUN

/// The TURN server's protocol logic (RFC 8656, RFC 5766's channel range, RFC 6156), sans-I/O:
/// it is fed client packets, peer packets, relay-bind results and clock ticks, and appends
/// `TurnOutput`s for its shell to carry out. One core per event loop owns the allocations of
/// the clients that loop serves; it must only be used on that loop.
///
/// Times are Unix seconds: lifetimes, nonces and REST credentials all count in seconds.
public final class TurnServerCore {
    private let configuration: TurnCoreConfiguration
    private let credentials: TurnCredentialStore
    private let nonces: NonceIssuer
    private let policy: PeerAddressPolicy
    private let quota: AllocationQuota
    private let metrics: TurnMetrics
    private let relayIDs: RelayIDSource
    private let announcedRelayIP: StunAddress
    private let isDraining: @Sendable () -> Bool

    private var allocationsByTuple: [FiveTuple: TurnAllocation] = [:]
    private var allocationsByRelay: [RelayID: TurnAllocation] = [:]
    private var pendingAllocations: [RelayID: PendingAllocation] = [:]
    private var pendingByTuple: [FiveTuple: RelayID] = [:]
    private var authenticationLimiter = FailedAuthenticationLimiter()
    private var counts = TurnTrafficCounts()

    /// An Allocate request that passed every check and waits for its relay socket.
    private struct PendingAllocation {
        let request: StunMessage
        let fiveTuple: FiveTuple
        let username: String
        let key: StunIntegrityKey
        let lifetime: Int
        let port: RelayRequest.Port
        /// ADDITIONAL-ADDRESS-FAMILY asked for an IPv6 relayed address too, which one relay IP
        /// cannot give: the success response says so in ADDRESS-ERROR-CODE.
        let additionalFamilyUnavailable: Bool
    }

    /// A request that passed long-term authentication.
    private struct Authenticated {
        let username: String
        let key: StunIntegrityKey
    }

    public init(
        configuration: TurnCoreConfiguration, credentials: TurnCredentialStore, nonces: NonceIssuer,
        policy: PeerAddressPolicy, quota: AllocationQuota, metrics: TurnMetrics, relayIDs: RelayIDSource,
        isDraining: @escaping @Sendable () -> Bool = { false }
    ) {
        self.isDraining = isDraining
        self.configuration = configuration
        self.credentials = credentials
        self.nonces = nonces
        self.policy = policy
        self.quota = quota
        self.metrics = metrics
        self.relayIDs = relayIDs
        self.announcedRelayIP = StunAddress(ipAddress: configuration.announcedRelayIP, port: 0) ?? StunAddress(ipv4: 0, port: 0)
    }

    public var allocationCount: Int { allocationsByTuple.count }

    /// Whether `tuple` has an allocation, or one waiting for its relay socket.
    public func hasAllocation(for tuple: FiveTuple) -> Bool {
        allocationsByTuple[tuple] != nil || pendingByTuple[tuple] != nil
    }

    /// Where ChannelData and Data indications for clients are framed, reused from one relayed
    /// packet to the next: once the output is sent the buffer is free again, and an output still
    /// held (a datagram queued for a full socket, say) makes `clear(minimumCapacity:)` take new
    /// memory, by copy-on-write, of the size at hand rather than of the largest frame seen.
    private var clientFrame = ByteBuffer()

    /// Room for `payload` framed either way; the larger framing is a Data indication from an
    /// IPv6 peer: header 20, XOR-PEER-ADDRESS 24, DATA's header 4 and up to 3 bytes of padding.
    private static func frameCapacity(for payload: ByteBuffer) -> Int {
        payload.readableBytes + 51
    }
    private var indicationIDs = SplitMix64()

    // MARK: Client side

    /// Handles one datagram (UDP) or one frame (TCP/TLS) from a client.
    public func handleClientPacket(_ packet: ByteBuffer, from tuple: FiveTuple, now: Int, into outputs: inout [TurnOutput]) {
        switch PacketClassifier.classify(packet) {
        case .channelData:
            if let output = relayChannelData(packet, from: tuple, now: now) { outputs.append(output) }
        case .stun:
            handleStun(packet, from: tuple, now: now, into: &outputs)
        default:
            counts.drops[.malformed, default: 0] += 1
        }
    }

    private func relayChannelData(_ packet: ByteBuffer, from tuple: FiveTuple, now: Int) -> TurnOutput? {
        guard let allocation = allocationsByTuple[tuple] else {
            counts.drops[.noAllocation, default: 0] += 1
            return nil
        }
        guard let channelData = try? ChannelData(decoding: packet) else {
            counts.drops[.malformed, default: 0] += 1
            return nil
        }
        guard let binding = allocation.channelsByNumber[channelData.channelNumber], binding.expiry > now,
            allocation.hasPermission(for: binding.peerIP, now: now)
        else {
            counts.drops[.noPermission, default: 0] += 1
            return nil
        }
        guard admits(channelData.payload.readableBytes, within: &allocation.toPeerBandwidth, now: now) else { return nil }
        counts.packetsToPeers += 1
        counts.bytesToPeers += channelData.payload.readableBytes
        return .toPeer(channelData.payload, relay: allocation.relayID, peer: binding.peer)
    }

    private func handleStun(_ packet: ByteBuffer, from tuple: FiveTuple, now: Int, into outputs: inout [TurnOutput]) {
        let message: StunMessage
        do {
            message = try StunMessage(decoding: packet)
        } catch {
            counts.drops[.malformed, default: 0] += 1
            // A request whose header is intact still deserves an answer (RFC 8489 §6.3); a
            // family neither IPv4 nor IPv6 asked of Allocate is one not supported (RFC 8656 §7.2).
            if let header = try? StunMessageHeader(decoding: packet), header.messageType.messageClass == .request {
                var reply = StunErrorCode.badRequest
                if case .unknownAddressFamily(.requestedAddressFamily, _) = error, header.messageType.method == .allocate {
                    reply = .addressFamilyNotSupported
                }
                respond(StunMessage.errorResponse(to: header, error: reply), to: tuple, fingerprint: false, into: &outputs)
            }
            return
        }
        // A message whose FINGERPRINT does not match is dropped unanswered (RFC 8489 §6.3).
        guard message.verifyFingerprint() != .invalid else {
            counts.drops[.malformed, default: 0] += 1
            return
        }
        switch message.messageType.messageClass {
        case .request:
            handleRequest(message, from: tuple, now: now, into: &outputs)
        case .indication where message.messageType.method == .send:
            if let output = relaySendIndication(message, from: tuple, now: now) { outputs.append(output) }
        case .indication where message.messageType.method == .binding:
            // A keepalive (RFC 8489 §6.3.2): nothing to do.
            break
        default:
            // Responses and other indications from clients mean nothing to a server.
            counts.drops[.malformed, default: 0] += 1
        }
    }

    private func handleRequest(_ request: StunMessage, from tuple: FiveTuple, now: Int, into outputs: inout [TurnOutput]) {
        let unknown = request.unknownComprehensionRequiredAttributes
        switch request.messageType.method {
        case .binding:
            guard unknown.isEmpty else {
                let response = StunMessage.errorResponse(
                    to: request, error: .unknownAttribute, attributes: [.unknownAttributes(unknown)])
                respond(response, to: tuple, fingerprint: request.hasFingerprint, into: &outputs)
                return
            }
            let mapped = StunAddress(tuple.client) ?? StunAddress(ipv4: 0, port: 0)
            let response = StunMessage.successResponse(
                to: request,
                attributes: [.xorMappedAddress(mapped), .mappedAddress(mapped), .software(configuration.software)])
            respond(response, to: tuple, fingerprint: request.hasFingerprint, into: &outputs)
        case .allocate, .refresh, .createPermission, .channelBind:
            // A client whose allocation exists keeps it whatever others do from its address; it
            // is not a way around the limit for another username.
            let source = FailedAuthenticationLimiter.Source(ip: tuple.client.ipBytes ?? [], username: request.username ?? "")
            let ownsAllocation = allocationsByTuple[tuple].map { $0.username == request.username } ?? false
            guard ownsAllocation || !authenticationLimiter.isBlocked(source, now: now) else {
                counts.drops[.rateLimited, default: 0] += 1
                return
            }
            guard let user = authenticate(request, from: tuple, now: now, into: &outputs) else { return }
            // Unknown attributes are looked for once the request is authenticated (RFC 8489 §6.3).
            guard unknown.isEmpty else {
                return reject(
                    request, .unknownAttribute, attributes: [.unknownAttributes(unknown)], user: user, to: tuple,
                    into: &outputs)
            }
            switch request.messageType.method {
            case .allocate: allocate(request, user: user, from: tuple, now: now, into: &outputs)
            case .refresh: refresh(request, user: user, from: tuple, now: now, into: &outputs)
            case .createPermission: createPermission(request, user: user, from: tuple, now: now, into: &outputs)
            default: bindChannel(request, user: user, from: tuple, now: now, into: &outputs)
            }
        default:
            respond(
                StunMessage.errorResponse(to: request, error: .badRequest), to: tuple, fingerprint: request.hasFingerprint,
                into: &outputs)
        }
    }

    /// Long-term credential check (RFC 8489 §9.2.4). Answers the challenge or the error itself
    /// and returns nil when the request must not proceed.
    private func authenticate(
        _ request: StunMessage, from tuple: FiveTuple, now: Int, into outputs: inout [TurnOutput]
    ) -> Authenticated? {
        guard !request.integrityAlgorithms.isEmpty else {
            challenge(request, with: .unauthorized, to: tuple, now: now, into: &outputs)
            return nil
        }
        guard let username = request.username, let realm = request.realm, let nonce = request.nonce else {
            respond(
                StunMessage.errorResponse(to: request, error: .badRequest), to: tuple, fingerprint: request.hasFingerprint,
                into: &outputs)
            return nil
        }
        switch nonces.check(nonce, now: now) {
        case .valid:
            break
        case .stale:
            challenge(request, with: .staleNonce, to: tuple, now: now, into: &outputs)
            return nil
        case .invalid:
            challenge(request, with: .unauthorized, to: tuple, now: now, into: &outputs)
            return nil
        }
        // An allocation keeps the key it was made with, as coturn: a TURN REST credential that
        // expires during a call does not end its refreshes, permissions and channels.
        let allocationKey = allocationsByTuple[tuple].flatMap { $0.username == username ? $0.key : nil }
        guard realm == credentials.realm, let key = allocationKey ?? credentials.key(for: username, now: now),
            request.verifyMessageIntegrity(key: key) == .valid
        else {
            metrics.authenticationFailures.increment()
            authenticationLimiter.recordFailure(
                FailedAuthenticationLimiter.Source(ip: tuple.client.ipBytes ?? [], username: username), now: now)
            challenge(request, with: .unauthorized, to: tuple, now: now, into: &outputs)
            return nil
        }
        return Authenticated(username: username, key: key)
    }

    private func allocate(
        _ request: StunMessage, user: Authenticated, from tuple: FiveTuple, now: Int, into outputs: inout [TurnOutput]
    ) {
        if let existing = allocationsByTuple[tuple] {
            if existing.allocateTransaction == request.transactionID {
                outputs.append(.toClient(existing.allocateResponse, tuple))
            } else {
                reject(request, .allocationMismatch, user: user, to: tuple, into: &outputs)
            }
            return
        }
        // A retransmission while the relay socket is being bound is answered once it is.
        guard pendingByTuple[tuple] == nil else { return }
        // The second half of a pair already granted here (RESERVATION-TOKEN) cannot go elsewhere.
        if isDraining(), request.reservationToken == nil { return redirect(request, user: user, from: tuple, into: &outputs) }
        guard let transport = request.requestedTransport else {
            return reject(request, .badRequest, user: user, to: tuple, into: &outputs)
        }
        guard transport == 17 else {
            return reject(request, .unsupportedTransportProtocol, user: user, to: tuple, into: &outputs)
        }
        // RFC 8656 §7.2's checks of EVEN-PORT, RESERVATION-TOKEN and the address families, in its order.
        let reservesNextPort = request.evenPortReservesNextPort
        let token = request.reservationToken
        let requestedFamily = request.requestedAddressFamily
        let additionalFamily = request.additionalAddressFamily
        if token != nil, reservesNextPort != nil || requestedFamily != nil {
            return reject(request, .badRequest, user: user, to: tuple, into: &outputs)
        }
        if additionalFamily != nil, requestedFamily != nil || additionalFamily == .ipv4 {
            return reject(request, .badRequest, user: user, to: tuple, into: &outputs)
        }
        // As coturn: a dual allocation neither takes a held port nor reserves one.
        if additionalFamily != nil, token != nil || reservesNextPort == true {
            return reject(request, .badRequest, user: user, to: tuple, into: &outputs)
        }
        // One relay IP, so one family: IPv6 when it is an IPv6 address. A held port has it already.
        let family: RelayRequest.Family = configuration.supportsIPv6Relay ? .ipv6 : .ipv4
        if token == nil, (requestedFamily == .ipv6 ? .ipv6 : .ipv4) != family {
            return reject(request, .addressFamilyNotSupported, user: user, to: tuple, into: &outputs)
        }
        let port: RelayRequest.Port
        switch (token, reservesNextPort) {
        case (let token?, _): port = .held(token: token)
        case (nil, true?): port = .evenHoldingNext(token: UInt64.random(in: .min ... .max), holder: user.username)
        case (nil, false?): port = .even
        case (nil, nil): port = .any
        }
        switch quota.reserve(for: credentials.quotaUser(of: user.username)) {
        case .granted:
            break
        case .userQuotaReached:
            metrics.quotaRejections.increment()
            return reject(request, .allocationQuotaReached, user: user, to: tuple, into: &outputs)
        case .serverFull:
            metrics.quotaRejections.increment()
            return reject(request, .insufficientCapacity, user: user, to: tuple, into: &outputs)
        }
        let id = relayIDs.next()
        pendingAllocations[id] = PendingAllocation(
            request: request, fiveTuple: tuple, username: user.username, key: user.key,
            lifetime: grantedLifetime(request.lifetime), port: port,
            additionalFamilyUnavailable: additionalFamily == .ipv6 && family == .ipv4)
        pendingByTuple[tuple] = id
        outputs.append(
            .bindRelay(RelayRequest(id: id, family: family, port: port, dontFragment: request.dontFragment)))
    }

    /// A draining server sends an Allocate to an alternate server of the client's address family,
    /// spreading clients by address (a retransmission goes where the first went), or refuses it
    /// with 508 without one.
    private func redirect(
        _ request: StunMessage, user: Authenticated, from tuple: FiveTuple, into outputs: inout [TurnOutput]
    ) {
        let family = StunAddress(tuple.client)?.family
        let candidates = configuration.alternateServers.filter { $0.family == family }
        guard !candidates.isEmpty else { return reject(request, .insufficientCapacity, user: user, to: tuple, into: &outputs) }
        var hasher = Hasher()
        hasher.combine(tuple.client)
        let alternate = candidates[Int(UInt(bitPattern: hasher.finalize()) % UInt(candidates.count))]
        reject(request, .tryAlternate, attributes: [.alternateServer(alternate)], user: user, to: tuple, into: &outputs)
    }

    /// The shell bound the relay socket of a pending allocation at `address`.
    public func relayBound(_ id: RelayID, address: SocketAddress, now: Int, into outputs: inout [TurnOutput]) {
        guard let pending = pendingAllocations.removeValue(forKey: id) else {
            outputs.append(.closeRelay(id))
            return
        }
        pendingByTuple[pending.fiveTuple] = nil
        let port = UInt16(clamping: address.port ?? 0)
        let relayed = StunAddress(ipBytes: announcedRelayIP.ipBytes, port: port) ?? StunAddress(ipv4: 0, port: port)
        let allocation = TurnAllocation(
            relayID: id, fiveTuple: pending.fiveTuple, username: pending.username, key: pending.key,
            relayedAddress: relayed, expiry: now + pending.lifetime, allocateTransaction: pending.request.transactionID)
        let mapped = StunAddress(pending.fiveTuple.client) ?? StunAddress(ipv4: 0, port: 0)
        var attributes: [StunAttribute] = [
            .xorRelayedAddress(relayed), .lifetime(UInt32(pending.lifetime)), .xorMappedAddress(mapped),
        ]
        if case .evenHoldingNext(let token, _) = pending.port { attributes.append(.reservationToken(token)) }
        if pending.additionalFamilyUnavailable {
            attributes.append(.addressErrorCode(family: .ipv6, error: .addressFamilyNotSupported))
        }
        attributes.append(.software(configuration.software))
        let response = StunMessage.successResponse(to: pending.request, attributes: attributes)
        guard let encoded = encode(response, key: pending.key, like: pending.request) else {
            quota.release(for: credentials.quotaUser(of: pending.username))
            outputs.append(.closeRelay(id))
            return
        }
        allocation.allocateResponse = encoded
        allocationsByTuple[pending.fiveTuple] = allocation
        allocationsByRelay[id] = allocation
        metrics.allocations.increment()
        metrics.allocationsCreated.increment()
        outputs.append(.toClient(encoded, pending.fiveTuple))
    }

    /// The shell could not bind a relay socket (port range exhausted, address unusable, or no
    /// port held for the token presented).
    public func relayBindFailed(_ id: RelayID, into outputs: inout [TurnOutput]) {
        guard let pending = pendingAllocations.removeValue(forKey: id) else { return }
        pendingByTuple[pending.fiveTuple] = nil
        quota.release(for: credentials.quotaUser(of: pending.username))
        let response = StunMessage.errorResponse(to: pending.request, error: .insufficientCapacity)
        if let encoded = encode(response, key: pending.key, like: pending.request) {
            outputs.append(.toClient(encoded, pending.fiveTuple))
        }
    }

    private func refresh(
        _ request: StunMessage, user: Authenticated, from tuple: FiveTuple, now: Int, into outputs: inout [TurnOutput]
    ) {
        guard let allocation = allocation(for: request, user: user, from: tuple, into: &outputs) else { return }
        if let family = request.requestedAddressFamily, family != allocation.relayFamily {
            return reject(request, .peerAddressFamilyMismatch, user: user, to: tuple, into: &outputs)
        }
        let requested = request.lifetime ?? UInt32(configuration.defaultLifetime)
        let lifetime = requested == 0 ? 0 : grantedLifetime(requested)
        if lifetime == 0 {
            remove(allocation, into: &outputs)
        } else {
            allocation.expiry = now + lifetime
        }
        let response = StunMessage.successResponse(
            to: request, attributes: [.lifetime(UInt32(lifetime)), .software(configuration.software)])
        respond(response, key: user.key, like: request, to: tuple, into: &outputs)
    }

    private func createPermission(
        _ request: StunMessage, user: Authenticated, from tuple: FiveTuple, now: Int, into outputs: inout [TurnOutput]
    ) {
        guard let allocation = allocation(for: request, user: user, from: tuple, into: &outputs) else { return }
        let peers = request.xorPeerAddresses
        guard !peers.isEmpty else { return reject(request, .badRequest, user: user, to: tuple, into: &outputs) }
        // All or nothing (RFC 8656 §10.2): check every peer before installing any permission.
        for peer in peers {
            if let error = peerError(peer, allocation: allocation) {
                return reject(request, error, user: user, to: tuple, into: &outputs)
            }
        }
        for peer in peers {
            installPermission(peer.socketAddress, on: allocation, now: now)
        }
        respond(
            StunMessage.successResponse(to: request, attributes: [.software(configuration.software)]),
            key: user.key, like: request, to: tuple, into: &outputs)
    }

    private func bindChannel(
        _ request: StunMessage, user: Authenticated, from tuple: FiveTuple, now: Int, into outputs: inout [TurnOutput]
    ) {
        guard let allocation = allocation(for: request, user: user, from: tuple, into: &outputs) else { return }
        // A channel to port 0 could carry nothing (coturn: 400 as well).
        guard let number = request.channelNumber, ChannelData.validChannelNumbers.contains(number),
            let peer = request.xorPeerAddress, peer.port != 0
        else {
            return reject(request, .badRequest, user: user, to: tuple, into: &outputs)
        }
        if let error = peerError(peer, allocation: allocation) {
            return reject(request, error, user: user, to: tuple, into: &outputs)
        }
        // A channel names the port too: an address reachable at some ports only is checked here.
        guard policy.permits(peer.ipBytes, port: Int(peer.port)) else {
            return reject(request, .forbidden, user: user, to: tuple, into: &outputs)
        }
        let peerAddress = peer.socketAddress
        guard let peerIP = PeerIP(peerAddress) else {
            return reject(request, .badRequest, user: user, to: tuple, into: &outputs)
        }
        // A channel stays bound to one peer and a peer to one channel (RFC 8656 §11.2).
        if let bound = allocation.channelsByNumber[number], bound.peer != peerAddress {
            return reject(request, Self.channelBoundToAnotherPeer, user: user, to: tuple, into: &outputs)
        }
        if let boundNumber = allocation.channelsByPeer[peerAddress], boundNumber != number {
            return reject(request, Self.peerBoundToAnotherChannel, user: user, to: tuple, into: &outputs)
        }
        if allocation.channelsByNumber[number] == nil { metrics.channels.increment() }
        allocation.channelsByNumber[number] = TurnAllocation.ChannelBinding(
            peer: peerAddress, peerIP: peerIP, expiry: now + configuration.channelLifetime)
        allocation.channelsByPeer[peerAddress] = number
        installPermission(peerAddress, on: allocation, now: now)
        respond(
            StunMessage.successResponse(to: request, attributes: [.software(configuration.software)]),
            key: user.key, like: request, to: tuple, into: &outputs)
    }

    private func relaySendIndication(_ indication: StunMessage, from tuple: FiveTuple, now: Int) -> TurnOutput? {
        guard let allocation = allocationsByTuple[tuple] else {
            counts.drops[.noAllocation, default: 0] += 1
            return nil
        }
        // An indication with an attribute the server must understand but does not is discarded
        // (RFC 8489 §6.3.3).
        guard let peer = indication.xorPeerAddress, let data = indication.data,
            !indication.hasUnknownComprehensionRequiredAttributes
        else {
            counts.drops[.malformed, default: 0] += 1
            return nil
        }
        let peerAddress = peer.socketAddress
        guard peer.family == allocation.relayFamily, let peerIP = PeerIP(peerAddress),
            allocation.hasPermission(for: peerIP, now: now),
            !policy.restrictsPorts || policy.permits(peer.ipBytes, port: Int(peer.port))
        else {
            counts.drops[.noPermission, default: 0] += 1
            return nil
        }
        guard admits(data.readableBytes, within: &allocation.toPeerBandwidth, now: now) else { return nil }
        counts.packetsToPeers += 1
        counts.bytesToPeers += data.readableBytes
        return .toPeer(data, relay: allocation.relayID, peer: peerAddress)
    }

    /// The client's TCP or TLS connection closed: its allocation goes with it (RFC 8656 §3.1).
    public func clientDisconnected(_ tuple: FiveTuple, into outputs: inout [TurnOutput]) {
        if let allocation = allocationsByTuple[tuple] {
            remove(allocation, into: &outputs)
        }
        if let pendingID = pendingByTuple.removeValue(forKey: tuple), let pending = pendingAllocations.removeValue(forKey: pendingID) {
            quota.release(for: credentials.quotaUser(of: pending.username))
        }
    }

    // MARK: Peer side

    /// Handles a datagram a relay socket received from `peer`.
    public func handlePeerPacket(_ packet: ByteBuffer, from peer: SocketAddress, relay: RelayID, now: Int) -> TurnOutput? {
        guard let allocation = allocationsByRelay[relay], let peerIP = PeerIP(peer),
            allocation.hasPermission(for: peerIP, now: now)
        else {
            counts.drops[.noPermission, default: 0] += 1
            return nil
        }
        guard admits(packet.readableBytes, within: &allocation.toClientBandwidth, now: now) else { return nil }
        counts.packetsToClients += 1
        counts.bytesToClients += packet.readableBytes
        let tuple = allocation.fiveTuple
        if let number = allocation.channelsByPeer[peer], let binding = allocation.channelsByNumber[number], binding.expiry > now,
            let channelData = ChannelData(channelNumber: number, payload: packet)
        {
            clientFrame.clear(minimumCapacity: Self.frameCapacity(for: packet))
            channelData.encode(into: &clientFrame, padded: tuple.transport.isStream)
            return .toClient(clientFrame, tuple)
        }
        guard let peerAddress = StunAddress(peer) else { return nil }
        clientFrame.clear(minimumCapacity: Self.frameCapacity(for: packet))
        do {
            try DataIndication.encode(
                peer: peerAddress, data: packet, transactionID: .random(using: &indicationIDs), into: &clientFrame)
        } catch {
            return nil
        }
        return .toClient(clientFrame, tuple)
    }

    // MARK: Time

    /// Expires allocations, permissions and channels, and publishes the traffic counts.
    /// Call about once a second.
    public func tick(now: Int, into outputs: inout [TurnOutput]) {
        for allocation in allocationsByRelay.values {
            if allocation.expiry <= now {
                remove(allocation, into: &outputs)
                continue
            }
            let expiredPermissions = allocation.permissions.filter { $0.value <= now }.count
            if expiredPermissions > 0 {
                allocation.permissions = allocation.permissions.filter { $0.value > now }
                metrics.permissions.decrement(by: Double(expiredPermissions))
            }
            for (number, binding) in allocation.channelsByNumber where binding.expiry <= now {
                allocation.channelsByNumber[number] = nil
                allocation.channelsByPeer[binding.peer] = nil
                metrics.channels.decrement()
            }
        }
        authenticationLimiter.removeExpired(now: now)
        counts.flush(into: metrics)
    }

    /// Removes every allocation, e.g. when the server shuts down.
    public func removeAll(into outputs: inout [TurnOutput]) {
        for allocation in allocationsByRelay.values {
            remove(allocation, into: &outputs)
        }
        for pending in pendingAllocations.values {
            quota.release(for: credentials.quotaUser(of: pending.username))
        }
        pendingAllocations.removeAll()
        pendingByTuple.removeAll()
        counts.flush(into: metrics)
    }

    // MARK: Helpers

    /// Whether the bandwidth cap lets `size` more bytes go the way `direction` counts now.
    private func admits(_ size: Int, within direction: inout RelayBandwidthLimit, now: Int) -> Bool {
        guard configuration.maxBytesPerSecond > 0 else { return true }
        guard direction.admits(size, limit: configuration.maxBytesPerSecond, now: now) else {
            counts.drops[.bandwidthLimit, default: 0] += 1
            return false
        }
        return true
    }

    /// The allocation of `tuple` for a Refresh/CreatePermission/ChannelBind, answering 437 when
    /// there is none and 441 when it belongs to another user.
    private func allocation(
        for request: StunMessage, user: Authenticated, from tuple: FiveTuple, into outputs: inout [TurnOutput]
    ) -> TurnAllocation? {
        guard let allocation = allocationsByTuple[tuple] else {
            reject(request, .allocationMismatch, user: user, to: tuple, into: &outputs)
            return nil
        }
        guard allocation.username == user.username else {
            reject(request, .wrongCredentials, user: user, to: tuple, into: &outputs)
            return nil
        }
        return allocation
    }

    private func peerError(_ peer: StunAddress, allocation: TurnAllocation) -> StunErrorCode? {
        if peer.family != allocation.relayFamily { return .peerAddressFamilyMismatch }
        if !policy.permits(peer.ipBytes) { return .forbidden }
        return nil
    }

    private func installPermission(_ peer: SocketAddress, on allocation: TurnAllocation, now: Int) {
        guard let ip = PeerIP(peer) else { return }
        if allocation.permissions[ip] == nil { metrics.permissions.increment() }
        allocation.permissions[ip] = now + configuration.permissionLifetime
    }

    private func remove(_ allocation: TurnAllocation, into outputs: inout [TurnOutput]) {
        allocationsByTuple[allocation.fiveTuple] = nil
        allocationsByRelay[allocation.relayID] = nil
        quota.release(for: credentials.quotaUser(of: allocation.username))
        metrics.allocations.decrement()
        metrics.permissions.decrement(by: Double(allocation.permissions.count))
        metrics.channels.decrement(by: Double(allocation.channelsByNumber.count))
        outputs.append(.closeRelay(allocation.relayID))
    }

    private func grantedLifetime(_ requested: UInt32?) -> Int {
        guard let requested else { return configuration.defaultLifetime }
        return min(max(Int(requested), configuration.defaultLifetime), configuration.maximumLifetime)
    }

    private static let channelBoundToAnotherPeer = StunErrorCode(
        code: 400, reason: "Bad Request: the channel number is bound to another peer")
    private static let peerBoundToAnotherChannel = StunErrorCode(
        code: 400, reason: "Bad Request: the peer is bound to another channel number")

    private func reject(
        _ request: StunMessage, _ error: StunErrorCode, attributes: [StunAttribute] = [], user: Authenticated,
        to tuple: FiveTuple, into outputs: inout [TurnOutput]
    ) {
        respond(
            StunMessage.errorResponse(to: request, error: error, attributes: attributes), key: user.key, like: request,
            to: tuple, into: &outputs)
    }

    /// Sends an authenticated response, protected with the request's key and algorithms.
    private func respond(
        _ response: StunMessage, key: StunIntegrityKey, like request: StunMessage, to tuple: FiveTuple,
        into outputs: inout [TurnOutput]
    ) {
        if let encoded = encode(response, key: key, like: request) {
            outputs.append(.toClient(encoded, tuple))
        }
    }

    /// A 401 or 438 with the realm and a fresh nonce (RFC 8489 §9.2.4).
    private func challenge(
        _ request: StunMessage, with error: StunErrorCode, to tuple: FiveTuple, now: Int, into outputs: inout [TurnOutput]
    ) {
        let attributes: [StunAttribute] = [.realm(credentials.realm), .nonce(nonces.makeNonce(now: now))]
        respond(
            StunMessage.errorResponse(to: request, error: error, attributes: attributes), to: tuple,
            fingerprint: request.hasFingerprint, into: &outputs)
    }

    /// Sends an unauthenticated response, with a FINGERPRINT when the request had one.
    private func respond(
        _ response: StunMessage, to tuple: FiveTuple, fingerprint: Bool, into outputs: inout [TurnOutput]
    ) {
        if let encoded = try? response.encoded(fingerprint: fingerprint) {
            outputs.append(.toClient(encoded, tuple))
        }
    }

    private func encode(_ response: StunMessage, key: StunIntegrityKey, like request: StunMessage) -> ByteBuffer? {
        try? response.encoded(
            integrityKey: key, integrityAlgorithms: request.integrityAlgorithms, fingerprint: request.hasFingerprint)
    }
}

extension StunMessage {
    fileprivate var hasFingerprint: Bool {
        attributes.contains { if case .fingerprint = $0 { true } else { false } }
    }
}
