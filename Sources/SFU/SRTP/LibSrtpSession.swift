import CSRTP

/// `srtp_init()` runs once per process, on first use, under Swift's thread-safe lazy
/// initialisation of globals.
private let libSrtpInitStatus: UInt32 = srtp_init().rawValue

/// The SRTP transform of libsrtp2, configured as mediasoup configures it (`ssrc_any_inbound` /
/// `ssrc_any_outbound` templates, `allow_repeat_tx` for retransmissions without RTX, replay
/// window 128).
///
/// The reference oracle for ``OpenSslSrtpSession`` and a fallback backend. Differences a
/// caller may notice: no rollover-counter recovery after more than 2^15 lost packets, and
/// Debian's build runs on NSS, several times slower for AES-CM; and with AEAD suites a packet
/// that fails authentication is left partially decrypted (libsrtp decrypts in place first).
///
/// libsrtp may write up to `SRTP_MAX_TRAILER_LEN` (+4 for SRTCP) bytes past the packet when
/// protecting, more than the tag it actually appends; when the caller's buffer has only the
/// suite's trailer room, the packet is protected in a session-owned buffer and copied back.
///
/// Not Sendable: owned by one transport on one event loop.
public final class LibSrtpSession: SrtpTransform {
    public let suite: SrtpCryptoSuite
    public let direction: SrtpDirection
    public private(set) var unattributedStatistics = SrtpStreamStatistics()

    private let session: OpaquePointer
    private var streamStatistics: [UInt32: SrtpStreamStatistics] = [:]
    /// Created on the first protect whose buffer lacks libsrtp's headroom.
    private var headroomBuffer: UnsafeMutableRawPointer?
    private static let maxPacketLength = 65_536
    private static let headroom = Int(SRTP_MAX_TRAILER_LEN) + 4

    public init(
        direction: SrtpDirection,
        masterKey: SrtpMasterKey,
        configuration: SrtpSessionConfiguration = SrtpSessionConfiguration()
    ) throws(SrtpConfigurationError) {
        try configuration.validate()
        guard libSrtpInitStatus == srtp_err_status_ok.rawValue else {
            throw .libSrtp(operation: "srtp_init", status: Int32(bitPattern: libSrtpInitStatus))
        }
        suite = masterKey.suite
        self.direction = direction

        var policy = srtp_policy_t()
        switch masterKey.suite {
        case .aesCm128HmacSha1_80:
            // srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 is a macro for this.
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtp_default(&policy.rtcp)
        case .aesCm128HmacSha1_32:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp)
            srtp_crypto_policy_set_rtp_default(&policy.rtcp)  // SRTCP keeps the 80-bit tag
        case .aeadAes128Gcm:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        case .aeadAes256Gcm:
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp)
        }
        policy.ssrc.type = direction == .inbound ? ssrc_any_inbound : ssrc_any_outbound
        policy.ssrc.value = 0
        policy.window_size = UInt(configuration.replayWindowSize)
        policy.allow_repeat_tx = 1
        policy.next = nil

        var key = masterKey.keyAndSalt
        var created: OpaquePointer?
        let status = key.withUnsafeMutableBufferPointer { keyBytes in
            policy.key = keyBytes.baseAddress
            return srtp_create(&created, &policy)
        }
        for index in key.indices { key[index] = 0 }
        guard status == srtp_err_status_ok, let created else {
            throw .libSrtp(operation: "srtp_create", status: Int32(bitPattern: status.rawValue))
        }
        session = created
    }

    deinit {
        // srtp_dealloc only fails on a corrupt session; nothing useful can be done in deinit.
        _ = srtp_dealloc(session)
        headroomBuffer?.deallocate()
    }

    public func protectRtp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        guard direction == .outbound else { return .failure(.wrongDirection) }
        guard let base = packet.baseAddress, length <= packet.count,
            length >= SrtpPacketHeader.rtpFixedLength
        else { return finish(srtp_err_status_bad_param, ssrc: nil) }
        guard packet.count - length >= suite.rtpTrailerLength else { return .failure(.bufferTooSmall) }
        let ssrc = SrtpPacketHeader.readUInt32(base, at: 8)
        return withHeadroom(base, length: length, room: packet.count - length) { bytes, octets in
            finish(srtp_protect(session, bytes, &octets), ssrc: ssrc, length: octets, isRtcp: false)
        }
    }

    public func unprotectRtp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        guard direction == .inbound else { return .failure(.wrongDirection) }
        guard let base = packet.baseAddress, length <= packet.count,
            length >= SrtpPacketHeader.rtpFixedLength
        else { return finish(srtp_err_status_bad_param, ssrc: nil) }
        let ssrc = SrtpPacketHeader.readUInt32(base, at: 8)
        var octets = Int32(length)
        let status = srtp_unprotect(session, base, &octets)
        return finish(status, ssrc: ssrc, length: octets, isRtcp: false)
    }

    public func protectRtcp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        guard direction == .outbound else { return .failure(.wrongDirection) }
        guard let base = packet.baseAddress, length <= packet.count,
            length >= SrtpPacketHeader.rtcpClearLength
        else { return finish(srtp_err_status_bad_param, ssrc: nil) }
        guard packet.count - length >= suite.rtcpTrailerLength else { return .failure(.bufferTooSmall) }
        let ssrc = SrtpPacketHeader.readUInt32(base, at: 4)
        return withHeadroom(base, length: length, room: packet.count - length) { bytes, octets in
            finish(srtp_protect_rtcp(session, bytes, &octets), ssrc: ssrc, length: octets, isRtcp: true)
        }
    }

    public func unprotectRtcp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        guard direction == .inbound else { return .failure(.wrongDirection) }
        guard let base = packet.baseAddress, length <= packet.count,
            length >= SrtpPacketHeader.rtcpClearLength
        else { return finish(srtp_err_status_bad_param, ssrc: nil) }
        let ssrc = SrtpPacketHeader.readUInt32(base, at: 4)
        var octets = Int32(length)
        let status = srtp_unprotect_rtcp(session, base, &octets)
        return finish(status, ssrc: ssrc, length: octets, isRtcp: true)
    }

    public func removeStream(ssrc: UInt32) {
        // libsrtp keys streams by the SSRC as it appears in the packet (network order);
        // no_ctx for an unknown SSRC is fine.
        _ = srtp_remove_stream(session, ssrc.bigEndian)
        streamStatistics[ssrc] = nil
    }

    public func statistics(ssrc: UInt32) -> SrtpStreamStatistics? {
        streamStatistics[ssrc]
    }

    /// Runs `body` on the packet where libsrtp has its documented headroom: in place when the
    /// caller's buffer has it, otherwise in the session's own buffer, copied back after.
    private func withHeadroom(
        _ base: UnsafeMutableRawPointer,
        length: Int,
        room: Int,
        _ body: (UnsafeMutableRawPointer, inout Int32) -> SrtpResult
    ) -> SrtpResult {
        var octets = Int32(length)
        if room >= Self.headroom { return body(base, &octets) }
        guard length <= Self.maxPacketLength else { return .failure(.bufferTooSmall) }
        let scratch: UnsafeMutableRawPointer
        if let headroomBuffer {
            scratch = headroomBuffer
        } else {
            scratch = UnsafeMutableRawPointer.allocate(byteCount: Self.maxPacketLength + Self.headroom, alignment: 16)
            headroomBuffer = scratch
        }
        scratch.copyMemory(from: base, byteCount: length)
        let result = body(scratch, &octets)
        if case .success(let newLength) = result {
            base.copyMemory(from: scratch, byteCount: newLength)
        }
        return result
    }

    private func finish(_ status: srtp_err_status_t, ssrc: UInt32?, length: Int32 = 0, isRtcp: Bool = false)
        -> SrtpResult
    {
        if status == srtp_err_status_ok, let ssrc {
            var statistics = streamStatistics[ssrc] ?? SrtpStreamStatistics()
            if isRtcp { statistics.rtcpPackets &+= 1 } else { statistics.rtpPackets &+= 1 }
            streamStatistics[ssrc] = statistics
            return .success(Int(length))
        }
        let error = Self.error(for: status)
        if let ssrc, streamStatistics[ssrc] != nil {
            streamStatistics[ssrc]!.record(error)
        } else {
            unattributedStatistics.record(error)
        }
        return .failure(error)
    }

    private static func error(for status: srtp_err_status_t) -> SrtpError {
        switch status {
        case srtp_err_status_auth_fail: .authenticationFailed
        case srtp_err_status_replay_fail: .replayed
        case srtp_err_status_replay_old: .tooOld
        case srtp_err_status_bad_param, srtp_err_status_parse_err: .packetTooShort
        case srtp_err_status_key_expired: .indexExhausted
        default: .cryptoFailure(code: Int32(bitPattern: status.rawValue))
        }
    }
}
