import CMediaShim
import COpenSSL
import NIOCore

/// A sans-I/O DTLS endpoint (DTLS 1.2, or 1.0 if the peer insists, as mediasoup allows) over
/// OpenSSL memory BIOs: mediasoup's `RTC::DtlsTransport` without the sockets and timers.
///
/// Drive it with input and poll it for output:
/// - ``start()`` when ICE is connected (mediasoup's `Run(localRole)`); a client sends its
///   ClientHello now;
/// - ``feed(_:)`` every datagram ``isDtls(_:)`` classifies as DTLS;
/// - ``handleTimeout()`` when the deadline from ``nextTimeout(now:)`` passes;
/// - ``send(_:)`` application data (SCTP) once connected; ``close()`` to send close_notify;
/// - after each of those, send every ``pollDatagram()`` to the peer, handle every
///   ``pollEvent()``, and re-arm the timer from ``nextTimeout(now:)``.
///
/// Once the handshake is done the transport checks the peer's certificate against the
/// signaled fingerprint and the negotiated SRTP profile, exports the SRTP keys, and only then
/// reports ``DtlsEvent/connected(_:)``. Any failure is final (``DtlsState/failed``).
///
/// Retransmissions: OpenSSL times flights with the real clock, not the caller's, so
/// ``handleTimeout()`` called early does nothing. The first timeout is 100 ms, doubling up to
/// 4 s (mediasoup's timer callback, instead of OpenSSL's 1 s); after 12 timeouts without
/// progress (~30 s) the transport fails.
///
/// Outgoing records of one step are packed into as few datagrams of at most ``mtu`` bytes as
/// they fit in (an application data record larger than that goes alone).
///
/// Threading: not `Sendable`. Every call must come from the event loop that owns the
/// transport's ``DtlsContext``.
public final class DtlsTransport {
    /// Largest datagram the transport produces, unless one application data record is larger.
    /// Lower than mediasoup's 1350 to leave room for TURN (ChannelData or Send indication) and
    /// IPv6 tunnel overhead on a 1500-byte path.
    public static let defaultMtu = 1200

    /// Most bytes one DTLS record carries.
    public static let maxApplicationDataLength = 16384

    /// `client` or `server`.
    public let localRole: DtlsRole
    public let mtu: Int
    public private(set) var state: DtlsState = .new
    /// The fingerprint signaling gave for the peer's certificate.
    public private(set) var remoteFingerprint: DtlsFingerprint?
    /// Set when the transport becomes connected.
    public private(set) var srtpKeys: DtlsSrtpKeys?
    /// Set when the transport fails.
    public private(set) var failureReason: DtlsFailureReason?
    public private(set) var stats = DtlsTransportStats()

    /// What the SFU signals as `dtlsParameters.fingerprints`.
    public var localFingerprints: [DtlsFingerprint] { context.certificate.fingerprints }

    private let context: DtlsContext
    private let ssl: OpaquePointer
    private let fromNetwork: OpenSslBio
    private let toNetwork: OpenSslBio
    /// Where `SSL_read` puts decrypted application data; one record at most.
    private let readBuffer: UnsafeMutableRawBufferPointer
    private let allocator = ByteBufferAllocator()
    private var outgoing = CircularBuffer<ByteBuffer>()
    private var events = CircularBuffer<DtlsEvent>()
    private var handshakeDone = false
    /// Description of the last fatal alert the peer sent, noted by the info callback.
    private var fatalAlertReceived: String?

    /// Whether a datagram on a WebRTC transport's 5-tuple is DTLS: first byte 20–63
    /// (RFC 7983 §7) and at least one record header long, as mediasoup's
    /// `DtlsTransport::IsDtls` checks.
    public static func isDtls(_ datagram: ByteBuffer) -> Bool {
        guard datagram.readableBytes >= DtlsRecordHeader.length,
            let first = datagram.getInteger(at: datagram.readerIndex, as: UInt8.self)
        else { return false }
        return (20...63).contains(first)
    }

    /// - Parameters:
    ///   - role: `client` or `server`; resolve a signaled role with ``DtlsRole/local(forRemote:)``.
    ///   - remoteFingerprint: the peer's signaled fingerprint, or `nil` to give it later with
    ///     ``setRemoteFingerprint(_:)`` (the transport stays `connecting` until then).
    ///   - mtu: largest datagram to produce; OpenSSL needs at least 208.
    public init(
        context: DtlsContext, role: DtlsRole, remoteFingerprint: DtlsFingerprint? = nil,
        mtu: Int = DtlsTransport.defaultMtu
    ) throws(DtlsError) {
        guard role != .auto else { throw .localRoleMustBeClientOrServer }
        OpenSslError.drainQueue()
        let fromNetwork: OpenSslBio
        let toNetwork: OpenSslBio
        do {
            fromNetwork = try OpenSslBio.memory()
            toNetwork = try OpenSslBio.memory()
        } catch {
            throw .transportCreationFailed(error)
        }
        guard let ssl = SSL_new(context.pointer) else { throw .transportCreationFailed(.drain("SSL_new")) }
        fromNetwork.retainForSsl()
        toNetwork.retainForSsl()
        SSL_set_bio(ssl, fromNetwork.pointer, toNetwork.pointer)
        guard cms_SSL_set_mtu(ssl, mtu) > 0 else {
            SSL_free(ssl)
            throw .transportCreationFailed(.drain("SSL_set_mtu(\(mtu))"))
        }
        DTLS_set_timer_cb(ssl) { _, previousMicroseconds in
            // mediasoup's schedule: 100 ms first, then doubling, capped at 4 s.
            previousMicroseconds == 0 ? 100_000 : min(2 * previousMicroseconds, 4_000_000)
        }

        self.context = context
        self.localRole = role
        self.remoteFingerprint = remoteFingerprint
        self.mtu = mtu
        self.ssl = ssl
        self.fromNetwork = fromNetwork
        self.toNetwork = toNetwork
        self.readBuffer = .allocate(byteCount: Self.maxApplicationDataLength, alignment: 1)
        // Lets the context's info callback find this object; the SSL never outlives it.
        // Throwing from here on still runs deinit, which frees the SSL.
        guard SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque()) == 1 else {
            throw .transportCreationFailed(.drain("SSL_set_ex_data"))
        }
    }

    deinit {
        SSL_free(ssl)
        readBuffer.deallocate()
    }

    // MARK: - Commands

    /// Starts the handshake in ``localRole`` (mediasoup's `Run`): `new → connecting`. A client
    /// queues its ClientHello; a server waits for one. Does nothing if already started.
    public func start() {
        guard state == .new else { return }
        state = .connecting
        events.append(.connecting)
        if localRole == .client {
            SSL_set_connect_state(ssl)
        } else {
            SSL_set_accept_state(ssl)
        }
        OpenSslError.drainQueue()
        let result = SSL_do_handshake(ssl)
        if result <= 0 {
            handleFailedCall(result, operation: "SSL_do_handshake")
        }
        flushOutgoing()
    }

    /// Sets (or replaces) the peer's signaled fingerprint. If the handshake already finished
    /// while waiting for it, the peer's certificate is checked now.
    public func setRemoteFingerprint(_ fingerprint: DtlsFingerprint) {
        remoteFingerprint = fingerprint
        if handshakeDone && state == .connecting {
            completeConnection()
        }
    }

    /// Processes one datagram from the peer.
    ///
    /// Datagrams that are not a sequence of well-formed DTLS records, or that arrive before
    /// ``start()`` or after the transport ended, are dropped and counted in ``stats``; records
    /// OpenSSL rejects (bad MAC, replay, wrong epoch) are discarded silently, as DTLS requires.
    public func feed(_ datagram: ByteBuffer) {
        stats.datagramsReceived += 1
        stats.bytesReceived += datagram.readableBytes
        guard isRunning else {
            stats.datagramsDroppedWhileNotRunning += 1
            return
        }
        let accepted = datagram.withUnsafeReadableBytes { bytes -> Bool in
            DtlsRecordHeader.isWellFormedDatagram(bytes) && fromNetwork.write(bytes)
        }
        guard accepted else {
            stats.malformedDatagramsDropped += 1
            return
        }
        readRecords()
        // One datagram at a time: nothing OpenSSL left unread may merge with the next one.
        fromNetwork.discardAll()
        flushOutgoing()
    }

    /// Retransmits the current flight if OpenSSL's timer expired, or fails the transport after
    /// too many retransmissions. Harmless when called early.
    public func handleTimeout() {
        // After the handshake OpenSSL must not retransmit on a timer
        // (https://github.com/openssl/openssl/issues/7998), as mediasoup also guards.
        guard state == .connecting, !handshakeDone else { return }
        OpenSslError.drainQueue()
        let result = cms_DTLSv1_handle_timeout(ssl)
        if result < 0 {
            OpenSslError.drainQueue()
            fail(.handshakeTimedOut)
        } else if result > 0 {
            stats.retransmissions += 1
        }
        flushOutgoing()
    }

    /// When ``handleTimeout()`` should next run, given the caller's current time; `nil` when no
    /// retransmission is pending.
    public func nextTimeout(now: NIODeadline) -> NIODeadline? {
        guard state == .connecting, !handshakeDone else { return nil }
        var seconds = 0
        var microseconds = 0
        guard cms_DTLSv1_get_timeout(ssl, &seconds, &microseconds) == 1 else { return nil }
        return now + .seconds(Int64(seconds)) + .microseconds(Int64(microseconds))
    }

    /// Sends `data` as one application data record.
    public func send(_ data: ByteBuffer) throws(DtlsError) {
        guard state == .connected else { throw .notConnected(state) }
        guard (1...Self.maxApplicationDataLength).contains(data.readableBytes) else {
            throw .invalidApplicationDataLength(data.readableBytes)
        }
        OpenSslError.drainQueue()
        let written = data.withUnsafeReadableBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard written > 0 else {
            let failure = SSL_get_error(ssl, written)
            let error = OpenSslError.drain("SSL_write")
            if failure == SSL_ERROR_SSL || failure == SSL_ERROR_SYSCALL {
                fail(.protocolError(error))
            }
            flushOutgoing()
            throw .writeFailed(error)
        }
        flushOutgoing()
    }

    /// Ends the association: sends close_notify if the handshake got that far and moves to
    /// ``DtlsState/closed`` (without a ``DtlsEvent/closed`` event, which reports the peer's
    /// close). Does nothing once failed or closed.
    public func close() {
        guard isRunning else { return }
        if handshakeDone {
            OpenSslError.drainQueue()
            // 0 means "close_notify sent, the peer's not received yet", which is all we want.
            SSL_shutdown(ssl)
            OpenSslError.drainQueue()
        }
        state = .closed
        flushOutgoing()
    }

    // MARK: - Output

    /// The next datagram to send to the peer, oldest first.
    public func pollDatagram() -> ByteBuffer? {
        outgoing.popFirst()
    }

    /// The next event, oldest first.
    public func pollEvent() -> DtlsEvent? {
        events.popFirst()
    }

    // MARK: - Internals

    private var isRunning: Bool { state == .connecting || state == .connected }

    /// Lets OpenSSL consume what was written to `fromNetwork`, delivering application data.
    private func readRecords() {
        while isRunning {
            OpenSslError.drainQueue()
            let result = SSL_read(ssl, readBuffer.baseAddress, Int32(readBuffer.count))
            if !handshakeDone && SSL_is_init_finished(ssl) == 1 {
                handshakeDone = true
                completeConnection()
            }
            guard result > 0 else {
                handleFailedCall(result, operation: "SSL_read")
                return
            }
            deliverApplicationData(count: Int(result))
        }
    }

    private func deliverApplicationData(count: Int) {
        guard state == .connected else {
            stats.earlyApplicationDataDropped += 1
            return
        }
        var data = allocator.buffer(capacity: count)
        data.writeBytes(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
        events.append(.applicationData(data))
    }

    /// Interprets a non-positive result of `SSL_do_handshake`/`SSL_read`.
    private func handleFailedCall(_ result: Int32, operation: String) {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return
        case SSL_ERROR_ZERO_RETURN:
            OpenSslError.drainQueue()
            peerClosed()
        default:
            let error = OpenSslError.drain(operation)
            // As mediasoup: a connected session that ends on an error or alert is closed, not
            // failed; "failed" tells of a handshake that never completed. Before that, a fatal
            // alert also sets SSL_RECEIVED_SHUTDOWN: it is looked for first.
            if state == .connected {
                state = .closed
                events.append(.closed)
            } else if let alert = fatalAlertReceived {
                fail(.alertReceived(alert))
            } else if SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN != 0 {
                peerClosed()
            } else {
                fail(.protocolError(error))
            }
        }
    }

    /// close_notify received: a connected transport closes; one still connecting failed, as in
    /// mediasoup.
    private func peerClosed() {
        if state == .connected {
            state = .closed
            events.append(.closed)
        } else {
            fail(.closedDuringHandshake)
        }
    }

    /// The handshake is done: verify the peer, pick up the SRTP profile, export the keys.
    private func completeConnection() {
        guard let signaled = remoteFingerprint else { return }
        guard let peer = SSL_get1_peer_certificate(ssl) else {
            OpenSslError.drainQueue()
            fail(.noRemoteCertificate)
            return
        }
        let certificate = OpenSslCertificate(takingOwnershipOf: peer)
        let actual: DtlsFingerprint
        do {
            actual = try certificate.fingerprint(signaled.algorithm)
        } catch {
            fail(.protocolError(error))
            return
        }
        guard signaled.matches(actual) else {
            fail(.remoteFingerprintMismatch(signaled: signaled, actual: actual))
            return
        }
        guard let selected = SSL_get_selected_srtp_profile(ssl),
            let profile = DtlsSrtpProfile(openSslId: selected.pointee.id)
        else {
            fail(.srtpProfileNotNegotiated)
            return
        }
        var material = [UInt8](repeating: 0, count: DtlsSrtpKeys.exportedLength(for: profile))
        let label = DtlsSrtpKeys.exporterLabel
        let exported = SSL_export_keying_material(
            ssl, &material, material.count, label, label.utf8.count, nil, 0, 0)
        guard exported == 1 else {
            fail(.keyExportFailed(.drain("SSL_export_keying_material")))
            return
        }
        let keys = DtlsSrtpKeys(profile: profile, exportedMaterial: material, localRole: localRole)
        srtpKeys = keys
        state = .connected
        events.append(.connected(keys))
    }

    private func fail(_ reason: DtlsFailureReason) {
        guard isRunning else { return }
        state = .failed
        failureReason = reason
        events.append(.failed(reason))
    }

    /// Moves what OpenSSL wrote for the peer into `outgoing`, packing whole records into
    /// datagrams of at most `mtu` bytes.
    private func flushOutgoing() {
        let pending = toNetwork.pendingByteCount
        guard pending > 0 else { return }
        var bytes = allocator.buffer(capacity: pending)
        bytes.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { buffer in
            Int(max(0, BIO_read(toNetwork.pointer, buffer.baseAddress, Int32(pending))))
        }
        let total = bytes.readableBytes
        var datagramStart = 0
        var offset = 0
        while offset < total {
            // OpenSSL writes whole records; the clamp only guards against the impossible.
            var recordLength = total - offset
            if recordLength >= DtlsRecordHeader.length,
                let fragmentLength = bytes.getInteger(at: bytes.readerIndex + offset + 11, as: UInt16.self)
            {
                recordLength = min(recordLength, DtlsRecordHeader.length + Int(fragmentLength))
            }
            if offset > datagramStart && offset + recordLength - datagramStart > mtu {
                emitDatagram(bytes, from: datagramStart, to: offset)
                datagramStart = offset
            }
            offset += recordLength
        }
        emitDatagram(bytes, from: datagramStart, to: total)
    }

    private func emitDatagram(_ bytes: ByteBuffer, from start: Int, to end: Int) {
        guard end > start, let datagram = bytes.getSlice(at: bytes.readerIndex + start, length: end - start) else {
            return
        }
        stats.datagramsSent += 1
        stats.bytesSent += datagram.readableBytes
        outgoing.append(datagram)
    }

    /// Called by the context's info callback, on this transport's thread, from inside an
    /// OpenSSL call made by this transport.
    func noteInfo(location: Int32, value: Int32) {
        guard location & SSL_CB_READ_ALERT == SSL_CB_READ_ALERT, value >> 8 == SSL3_AL_FATAL else { return }
        fatalAlertReceived = String(cString: SSL_alert_desc_string_long(value))
    }
}
