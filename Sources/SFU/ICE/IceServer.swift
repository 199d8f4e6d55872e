import NIOCore
import STUN

/// The sans-I/O ICE-lite agent of one WebRTC transport: mediasoup's `RTC::IceServer` without
/// the timer and the listener callbacks.
///
/// The SFU is ICE-lite (RFC 8445 §2.5) and always controlled: it never sends checks, it answers
/// the peer's STUN Binding requests and learns from them which tuples (local socket, remote
/// address) the peer can reach it on. Drive it with input and poll it for output:
/// - ``handleStunPacket(_:tuple:now:)`` for every STUN packet that arrives for this transport;
///   send the returned bytes, if any, back on the same tuple;
/// - ``handleTimeout(now:)`` once ``nextTimeout`` has passed;
/// - ``mayForceSelectedTuple(_:)`` when DTLS, RTP or RTCP arrives on a valid tuple, and
///   ``removeTuple(_:now:)`` when a TCP connection closes;
/// - after each of those, handle every ``pollEvent()`` and re-arm the timer from ``nextTimeout``.
///
/// A new server has already queued ``IceServerEvent/localUsernameFragmentAdded(_:)`` for its
/// fragment, so the owner registers it with a WebRtcServer by draining events once.
///
/// Invariants: at most ``maxTuples`` tuples are kept, newest first; ``selectedTuple`` is one of
/// them, and it is set exactly when ``state`` is `connected` or `completed`.
///
/// Threading: a value type with no shared state; the owning transport mutates it on its
/// event loop.
public struct IceServer: Sendable {
    /// Most tuples kept at once, as in mediasoup: when a check arrives on a ninth, the oldest
    /// tuple that is not selected is dropped.
    public static let maxTuples = 8
    /// mediasoup's `iceConsentTimeout` default.
    public static let defaultConsentTimeout = TimeAmount.seconds(30)
    /// Shortest consent timeout accepted; shorter values are raised to it, as mediasoup does.
    /// RFC 7675 lets consent lapse after 30 s; browsers send a check every 5 s or so.
    public static let minimumConsentTimeout = TimeAmount.seconds(10)
    /// Longest consent timeout accepted; longer values are lowered to it.
    public static let maximumConsentTimeout = TimeAmount.seconds(60)
    /// NOMINATION (0xC001, libwebrtc's renomination extension): a counter the controlling
    /// agent raises to move the selection to another pair; mediasoup honours it.
    static let nominationAttributeType = StunAttributeType(rawValue: 0xC001)

    /// The local credentials clients must use now.
    public private(set) var parameters: IceParameters
    /// The credentials before the last ``restartIce(parameters:now:)``, still accepted until
    /// the first valid check with the new ones so media keeps flowing during the restart.
    private var previousParameters: IceParameters?
    public private(set) var state: IceState = .new
    /// Where media goes (mediasoup's `iceSelectedTuple`); nil unless `connected`/`completed`.
    public private(set) var selectedTuple: TransportTuple?
    /// Every tuple a valid check arrived on, newest first.
    public private(set) var tuples: [TransportTuple] = []
    /// How long the selection stays valid without a valid check (RFC 7675 consent), after
    /// clamping to ``minimumConsentTimeout``...``maximumConsentTimeout``; nil when disabled.
    public let consentTimeout: TimeAmount?
    public private(set) var stats = IceServerStats()

    private var consentDeadline: NIODeadline?
    /// Highest NOMINATION value acted on; reset when the peer has to start over.
    private var remoteNomination: UInt32 = 0
    private var events = CircularBuffer<IceServerEvent>()

    /// - Parameters:
    ///   - parameters: the local credentials to signal; random ones by default.
    ///   - consentTimeout: `.zero` disables consent expiry; anything else is clamped to 10–60 s.
    public init(parameters: IceParameters = .random(), consentTimeout: TimeAmount = IceServer.defaultConsentTimeout) {
        self.parameters = parameters
        self.consentTimeout =
            consentTimeout == .zero
            ? nil : min(max(consentTimeout, Self.minimumConsentTimeout), Self.maximumConsentTimeout)
        self.events.append(.localUsernameFragmentAdded(parameters.usernameFragment))
    }

    /// The local fragments checks may carry now: the current one first, then the one before
    /// ``restartIce(parameters:now:)`` while it is still accepted. Empty once closed.
    public var localUsernameFragments: [String] {
        guard state != .closed else { return [] }
        return [parameters.usernameFragment] + (previousParameters.map { [$0.usernameFragment] } ?? [])
    }

    /// Whether a valid check arrived on `tuple` and it was not removed since: the transport
    /// accepts DTLS, RTP and RTCP only from such tuples.
    public func isValid(tuple: TransportTuple) -> Bool {
        tuples.contains(tuple)
    }

    /// When consent expires unless a valid check arrives first; nil while nothing is selected
    /// or consent expiry is disabled.
    public var nextTimeout: NIODeadline? {
        consentDeadline
    }

    /// The next event, oldest first; nil when there are none.
    public mutating func pollEvent() -> IceServerEvent? {
        events.popFirst()
    }

    /// Processes one STUN packet received on `tuple` and returns the response to send back on
    /// that tuple, or nil when there is none.
    ///
    /// Only Binding requests are answered, with the checks mediasoup makes in its order:
    /// - not STUN, malformed, or FINGERPRINT present but wrong: dropped (RFC 7983: not STUN);
    /// - indications and responses: ignored (an ICE-lite agent sends no requests);
    /// - another method, no FINGERPRINT, no PRIORITY, no USERNAME or no MESSAGE-INTEGRITY: 400;
    /// - USERNAME not `"<local ufrag>:…"`, or MESSAGE-INTEGRITY not made with the local
    ///   password (current, or previous during an ICE restart): 401;
    /// - unknown comprehension-required attributes: 420 (RFC 8489 §6.3.1);
    /// - ICE-CONTROLLED: 487 Role Conflict, since a lite agent is always controlled and the
    ///   peer must take the controlling role (RFC 8445 §7.3.1.1);
    /// - otherwise a success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (with the
    ///   password that authenticated the request) and FINGERPRINT, and the tuple is recorded.
    ///
    /// Error responses to requests that authenticated (420, 487) carry MESSAGE-INTEGRITY too;
    /// every response carries FINGERPRINT (RFC 8445 §7.2.2).
    public mutating func handleStunPacket(
        _ buffer: ByteBuffer, tuple: TransportTuple, now: NIODeadline
    ) -> ByteBuffer? {
        guard state != .closed, let request = try? StunMessage(decoding: buffer),
            case let fingerprint = request.verifyFingerprint(), fingerprint != .invalid
        else {
            stats.packetsDropped += 1
            return nil
        }
        guard request.messageType.messageClass == .request else {
            stats.messagesIgnored += 1
            return nil
        }
        guard let mappedAddress = StunAddress(tuple.remoteAddress) else {
            stats.packetsDropped += 1
            return nil
        }
        switch check(request, hasFingerprint: fingerprint == .valid) {
        case .rejected(let error, let key, let attributes):
            stats.requestsRejected += 1
            return Self.encode(StunMessage.errorResponse(to: request, error: error, attributes: attributes), key: key)
        case .accepted(let key, let usedPreviousCredentials):
            stats.requestsAccepted += 1
            if !usedPreviousCredentials, let previous = previousParameters {
                previousParameters = nil
                events.append(.localUsernameFragmentRemoved(previous.usernameFragment))
            }
            handleTuple(tuple, useCandidate: request.useCandidate, nomination: Self.nomination(in: request))
            if state == .connected || state == .completed, let consentTimeout {
                consentDeadline = now + consentTimeout
            }
            let response = StunMessage.successResponse(to: request, attributes: [.xorMappedAddress(mappedAddress)])
            return Self.encode(response, key: key)
        }
    }

    /// Expires consent if ``nextTimeout`` has passed: every tuple is removed and the state
    /// becomes `disconnected` (mediasoup logs "ICE consent expired due to timeout"). The next
    /// valid check connects again. Calling it early does nothing.
    public mutating func handleTimeout(now: NIODeadline) {
        guard let deadline = consentDeadline, now >= deadline else { return }
        consentDeadline = nil
        remoteNomination = 0
        state = .disconnected
        for tuple in tuples {
            events.append(.tupleRemoved(tuple))
        }
        tuples.removeAll()
        selectedTuple = nil
        events.append(.stateChanged(.disconnected))
    }

    /// Makes `tuple` the selected one if it is valid and ICE is `connected` or `completed`.
    ///
    /// The transport calls it for DTLS, RTP and RTCP from a valid tuple: peers that nominate
    /// aggressively, or switch paths without a new nomination, send media on the pair they
    /// chose, and answering on the same pair is what they expect (mediasoup does the same).
    public mutating func mayForceSelectedTuple(_ tuple: TransportTuple) {
        guard state == .connected || state == .completed, tuples.contains(tuple) else { return }
        select(tuple)
    }

    /// Forgets `tuple` (its TCP connection closed). If it was selected, the newest remaining
    /// tuple takes over and consent restarts from `now`; without one the state becomes
    /// `disconnected`. Unknown tuples are ignored.
    public mutating func removeTuple(_ tuple: TransportTuple, now: NIODeadline) {
        guard let index = tuples.firstIndex(of: tuple) else { return }
        tuples.remove(at: index)
        events.append(.tupleRemoved(tuple))
        guard tuple == selectedTuple else { return }
        selectedTuple = nil
        if state == .connected || state == .completed, let newest = tuples.first {
            select(newest)
            if let consentTimeout {
                consentDeadline = now + consentTimeout
            }
        } else {
            state = .disconnected
            remoteNomination = 0
            consentDeadline = nil
            events.append(.stateChanged(.disconnected))
        }
    }

    /// Switches to new local credentials (mediasoup's `restartIce()`) and returns them for
    /// signaling. The previous credentials stay valid until the first valid check made with
    /// the new ones, so media keeps flowing while the client re-gathers; credentials from
    /// before an earlier restart are dropped now. Consent, if running, restarts from `now` to
    /// give the client time. Does nothing once closed.
    @discardableResult
    public mutating func restartIce(
        parameters newParameters: IceParameters = .random(), now: NIODeadline
    ) -> IceParameters {
        guard state != .closed else { return parameters }
        if let previous = previousParameters {
            events.append(.localUsernameFragmentRemoved(previous.usernameFragment))
        }
        previousParameters = parameters
        parameters = newParameters
        remoteNomination = 0
        events.append(.localUsernameFragmentAdded(newParameters.usernameFragment))
        if consentDeadline != nil, let consentTimeout {
            consentDeadline = now + consentTimeout
        }
        return parameters
    }

    /// Closes the agent: its fragments and tuples are reported removed (so a WebRtcServer can
    /// forget them) and the state becomes `closed`, without a state event since the owner
    /// closed it. Later input is dropped.
    public mutating func close() {
        guard state != .closed else { return }
        for usernameFragment in localUsernameFragments {
            events.append(.localUsernameFragmentRemoved(usernameFragment))
        }
        for tuple in tuples {
            events.append(.tupleRemoved(tuple))
        }
        tuples.removeAll()
        selectedTuple = nil
        previousParameters = nil
        consentDeadline = nil
        state = .closed
    }

    // MARK: Checks

    private enum CheckOutcome {
        case accepted(key: StunIntegrityKey, usedPreviousCredentials: Bool)
        /// `key` signs the error response when the request authenticated.
        case rejected(StunErrorCode, key: StunIntegrityKey?, attributes: [StunAttribute] = [])
    }

    private func check(_ request: StunMessage, hasFingerprint: Bool) -> CheckOutcome {
        guard request.messageType.method == .binding,
            hasFingerprint,
            request.priority != nil,
            let username = request.username,
            request.attributes.contains(where: { if case .messageIntegrity = $0 { true } else { false } })
        else {
            return .rejected(.badRequest, key: nil)
        }
        let key: StunIntegrityKey
        let usedPreviousCredentials: Bool
        if let current = Self.key(authenticating: request, username: username, with: parameters) {
            (key, usedPreviousCredentials) = (current, false)
        } else if let previousParameters,
            let previous = Self.key(authenticating: request, username: username, with: previousParameters)
        {
            (key, usedPreviousCredentials) = (previous, true)
        } else {
            return .rejected(.unauthorized, key: nil)
        }
        let unknownAttributes = request.unknownComprehensionRequiredAttributes
        guard unknownAttributes.isEmpty else {
            return .rejected(.unknownAttribute, key: key, attributes: [.unknownAttributes(unknownAttributes)])
        }
        guard request.iceControlled == nil else {
            return .rejected(.roleConflict, key: key)
        }
        return .accepted(key: key, usedPreviousCredentials: usedPreviousCredentials)
    }

    /// The short-term key of `credentials` if USERNAME starts with their fragment and a `:`
    /// and MESSAGE-INTEGRITY verifies with their password.
    private static func key(
        authenticating request: StunMessage, username: String, with credentials: IceParameters
    ) -> StunIntegrityKey? {
        guard username.hasPrefix(credentials.usernameFragment + ":") else { return nil }
        let key = StunCredentials.shortTermKey(password: credentials.password)
        return request.verifyMessageIntegrity(key: key) == .valid ? key : nil
    }

    private static func nomination(in request: StunMessage) -> UInt32? {
        for case .unknown(let type, let value) in request.attributes where type == nominationAttributeType {
            guard value.count == 4 else { return nil }
            return value.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        return nil
    }

    private static func encode(_ response: StunMessage, key: StunIntegrityKey?) -> ByteBuffer? {
        // The encoder only fails past 64 KiB; these responses are a header and a few short
        // attributes (UNKNOWN-ATTRIBUTES lists at most what fit in the request).
        try? response.encoded(integrityKey: key, fingerprint: true)
    }

    // MARK: Tuples

    /// mediasoup's `HandleTuple`: the first valid check selects its tuple (`connected`), a
    /// nominating one (USE-CANDIDATE, or NOMINATION above the last one acted on) selects its
    /// tuple and completes; other checks only add their tuple.
    private mutating func handleTuple(_ tuple: TransportTuple, useCandidate: Bool, nomination: UInt32?) {
        addTuple(tuple)
        guard useCandidate || nomination != nil else {
            if state == .new || state == .disconnected {
                state = .connected
                select(tuple)
                events.append(.stateChanged(.connected))
            }
            return
        }
        if let nomination {
            guard nomination > remoteNomination else { return }
            remoteNomination = nomination
        }
        let wasCompleted = state == .completed
        state = .completed
        select(tuple)
        if !wasCompleted {
            events.append(.stateChanged(.completed))
        }
    }

    private mutating func addTuple(_ tuple: TransportTuple) {
        guard !tuples.contains(tuple) else { return }
        tuples.insert(tuple, at: 0)
        events.append(.tupleAdded(tuple))
        guard tuples.count > Self.maxTuples,
            let evicted = tuples.lastIndex(where: { $0 != tuple && $0 != selectedTuple })
        else { return }
        events.append(.tupleRemoved(tuples.remove(at: evicted)))
    }

    private mutating func select(_ tuple: TransportTuple) {
        guard tuple != selectedTuple else { return }
        selectedTuple = tuple
        events.append(.selectedTupleChanged(tuple))
    }
}
