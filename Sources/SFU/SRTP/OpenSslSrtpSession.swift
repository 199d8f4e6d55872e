/// The SRTP transform implemented here on OpenSSL libcrypto EVP: RFC 3711 AES-CM/HMAC-SHA1
/// and RFC 7714 AES-GCM, in place, with keys derived and contexts created once per session.
///
/// Per-packet work is a header read, one dictionary lookup (skipped when the SSRC repeats),
/// the index estimate and replay check, and the cipher — no allocation except when a new
/// stream appears.
///
/// Rollover-counter recovery: RFC 3711's index estimate picks the index nearest the highest
/// one received, so after more than 2^15 consecutive lost packets it lands one ROC short and
/// every later packet fails authentication (libsrtp never recovers). Once a stream has failed
/// ``SrtpSessionConfiguration/rolloverRecoveryThreshold`` times in a row, each failing packet
/// is also tried with the estimated ROC + 1; if that authenticates, the stream continues from
/// there. ROC − 1 is not tried: an older ROC's packet authenticating would be a replay of
/// something already received (the estimate only goes wrong forward, through loss), and
/// accepting it would re-open the replay window on old traffic.
///
/// Not Sendable: owned by one transport on one event loop.
public final class OpenSslSrtpSession: SrtpTransform {
    public let suite: SrtpCryptoSuite
    public let direction: SrtpDirection
    public private(set) var unattributedStatistics = SrtpStreamStatistics()

    private let configuration: SrtpSessionConfiguration
    private let rtpCipher: SrtpPacketCipher
    private let rtcpCipher: SrtpPacketCipher
    private var streams: [UInt32: SrtpStreamState] = [:]
    /// The most SSRCs whose state an inbound session keeps.
    static let maximumStreams = 512
    private var lastSsrc: UInt32 = 0
    private var lastStream: SrtpStreamState?
    /// Counts stream lookups, to tell which stream was used least recently.
    private var uses: UInt64 = 0

    public init(
        direction: SrtpDirection,
        masterKey: SrtpMasterKey,
        configuration: SrtpSessionConfiguration = SrtpSessionConfiguration()
    ) throws(SrtpConfigurationError) {
        try configuration.validate()
        self.suite = masterKey.suite
        self.direction = direction
        self.configuration = configuration
        rtpCipher = try SrtpPacketCipher(master: masterKey, forRtcp: false)
        rtcpCipher = try SrtpPacketCipher(master: masterKey, forRtcp: true)
    }

    /// A session keyed directly with session keys, bypassing key derivation: RFC 7714's test
    /// vectors are stated that way.
    init(
        direction: SrtpDirection,
        suite: SrtpCryptoSuite,
        rtpKeys: SrtpSessionKeys,
        rtcpKeys: SrtpSessionKeys,
        configuration: SrtpSessionConfiguration = SrtpSessionConfiguration()
    ) throws(SrtpConfigurationError) {
        try configuration.validate()
        self.suite = suite
        self.direction = direction
        self.configuration = configuration
        rtpCipher = try SrtpPacketCipher(suite: suite, keys: rtpKeys, forRtcp: false)
        rtcpCipher = try SrtpPacketCipher(suite: suite, keys: rtcpKeys, forRtcp: true)
    }

    // MARK: SRTP

    public func protectRtp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        guard direction == .outbound else { return .failure(.wrongDirection) }
        guard let base = packet.baseAddress, length <= packet.count,
            let headerLength = SrtpPacketHeader.rtpHeaderLength(base, length: length)
        else { return fail(.packetTooShort) }
        guard packet.count - length >= suite.rtpTrailerLength else { return .failure(.bufferTooSmall) }
        let ssrc = SrtpPacketHeader.readUInt32(base, at: 8)
        let sequenceNumber = SrtpPacketHeader.readUInt16(base, at: 2)
        let stream = outboundStream(ssrc)
        // Retransmissions (NACK without RTX) reuse their original index, as libsrtp's
        // allow_repeat_tx does; only a newer index moves the sender's ROC forward.
        let index = SrtpRocEstimator.estimateIndex(
            sequenceNumber: sequenceNumber, highestIndex: stream.rtpWindow.highestIndex)
        guard
            let newLength = rtpCipher.protectRtp(
                base, headerLength: headerLength, length: length, ssrc: ssrc, index: index)
        else { return .failure(.cryptoFailure(code: 0)) }
        if index > stream.rtpWindow.highestIndex { stream.rtpWindow.accept(index) }
        stream.statistics.rtpPackets &+= 1
        return .success(newLength)
    }

    public func unprotectRtp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        guard direction == .inbound else { return .failure(.wrongDirection) }
        guard let base = packet.baseAddress, length <= packet.count,
            let headerLength = SrtpPacketHeader.rtpHeaderLength(base, length: length)
        else { return fail(.packetTooShort) }
        let ssrc = SrtpPacketHeader.readUInt32(base, at: 8)
        let stream = existingStream(ssrc)
        guard length - headerLength >= suite.rtpAuthTagLength else { return fail(.packetTooShort, stream) }
        let sequenceNumber = SrtpPacketHeader.readUInt16(base, at: 2)

        guard let stream else {
            // A new stream has seen nothing: its estimate is the sequence number with ROC 0
            // and every index is fresh. Keep state only once the packet authenticates.
            let index = UInt64(sequenceNumber)
            guard
                let newLength = rtpCipher.unprotectRtp(
                    base, headerLength: headerLength, length: length, ssrc: ssrc, index: index)
            else { return fail(.authenticationFailed) }
            let created = addStream(ssrc)
            created.rtpWindow.accept(index)
            created.statistics.rtpPackets = 1
            return .success(newLength)
        }

        let index = SrtpRocEstimator.estimateIndex(
            sequenceNumber: sequenceNumber, highestIndex: stream.rtpWindow.highestIndex)
        let error: SrtpError
        switch stream.rtpWindow.check(index) {
        case .fresh:
            if let newLength = rtpCipher.unprotectRtp(
                base, headerLength: headerLength, length: length, ssrc: ssrc, index: index)
            {
                stream.rtpWindow.accept(index)
                stream.consecutiveRtpFailures = 0
                stream.statistics.rtpPackets &+= 1
                return .success(newLength)
            }
            error = .authenticationFailed
        case .replayed:
            error = .replayed
        case .tooOld:
            error = .tooOld
        }

        stream.consecutiveRtpFailures &+= 1
        let threshold = configuration.rolloverRecoveryThreshold
        if threshold > 0, stream.consecutiveRtpFailures >= threshold {
            let candidate = (index &+ (1 << 16)) & SrtpRocEstimator.indexMask
            if stream.rtpWindow.check(candidate) == .fresh,
                let newLength = rtpCipher.unprotectRtp(
                    base, headerLength: headerLength, length: length, ssrc: ssrc, index: candidate)
            {
                stream.rtpWindow.accept(candidate)
                stream.consecutiveRtpFailures = 0
                stream.statistics.rtpPackets &+= 1
                stream.statistics.rolloverRecoveries &+= 1
                return .success(newLength)
            }
        }
        return fail(error, stream)
    }

    // MARK: SRTCP

    public func protectRtcp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        guard direction == .outbound else { return .failure(.wrongDirection) }
        guard let base = packet.baseAddress, length <= packet.count, length >= SrtpPacketHeader.rtcpClearLength
        else { return fail(.packetTooShort) }
        guard packet.count - length >= suite.rtcpTrailerLength else { return .failure(.bufferTooSmall) }
        let ssrc = SrtpPacketHeader.readUInt32(base, at: 4)
        let stream = outboundStream(ssrc)
        guard stream.rtcpLastSentIndex < 0x7FFF_FFFF else { return .failure(.indexExhausted) }
        let index = stream.rtcpLastSentIndex + 1
        guard let newLength = rtcpCipher.protectRtcp(base, length: length, ssrc: ssrc, index: index)
        else { return .failure(.cryptoFailure(code: 0)) }
        stream.rtcpLastSentIndex = index
        stream.statistics.rtcpPackets &+= 1
        return .success(newLength)
    }

    public func unprotectRtcp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        guard direction == .inbound else { return .failure(.wrongDirection) }
        guard let base = packet.baseAddress, length <= packet.count, length >= SrtpPacketHeader.rtcpClearLength
        else { return fail(.packetTooShort) }
        let ssrc = SrtpPacketHeader.readUInt32(base, at: 4)
        let stream = existingStream(ssrc)
        guard length >= SrtpPacketHeader.rtcpClearLength + suite.rtcpTrailerLength else {
            return fail(.packetTooShort, stream)
        }
        let trailerOffset = length - (suite.isAead ? 4 : 4 + suite.rtcpAuthTagLength)
        let trailer = SrtpPacketHeader.readUInt32(base, at: trailerOffset)
        let index = trailer & 0x7FFF_FFFF
        let encrypted = trailer & 0x8000_0000 != 0

        if let stream {
            switch stream.rtcpWindow.check(UInt64(index)) {
            case .fresh: break
            case .replayed: return fail(.replayed, stream)
            case .tooOld: return fail(.tooOld, stream)
            }
        }
        guard
            let newLength = rtcpCipher.unprotectRtcp(
                base, length: length, ssrc: ssrc, index: index, encrypted: encrypted)
        else { return fail(.authenticationFailed, stream) }
        let accepted = stream ?? addStream(ssrc)
        accepted.rtcpWindow.accept(UInt64(index))
        accepted.statistics.rtcpPackets &+= 1
        return .success(newLength)
    }

    // MARK: Streams

    public func removeStream(ssrc: UInt32) {
        streams[ssrc] = nil
        if lastSsrc == ssrc { lastStream = nil }
    }

    public func statistics(ssrc: UInt32) -> SrtpStreamStatistics? {
        streams[ssrc]?.statistics
    }

    @inline(__always)
    private func existingStream(_ ssrc: UInt32) -> SrtpStreamState? {
        uses &+= 1
        if let lastStream, lastSsrc == ssrc {
            lastStream.lastUse = uses
            return lastStream
        }
        guard let stream = streams[ssrc] else { return nil }
        stream.lastUse = uses
        lastSsrc = ssrc
        lastStream = stream
        return stream
    }

    @inline(__always)
    private func outboundStream(_ ssrc: UInt32) -> SrtpStreamState {
        existingStream(ssrc) ?? addStream(ssrc)
    }

    private func addStream(_ ssrc: UInt32) -> SrtpStreamState {
        // Only what peers send: a send session's streams are our consumers' (a browser in a big
        // room receives hundreds, some paused for long; losing one's rollover counter would
        // break it), and they leave with their consumers and producers.
        if direction == .inbound, streams.count >= Self.maximumStreams { removeLeastRecentlyUsedStream() }
        // The sender never checks replay, so its window is only the highest index: keep it minimal.
        let windowSize =
            direction == .inbound ? configuration.replayWindowSize : 64
        let stream = SrtpStreamState(replayWindowSize: windowSize)
        stream.lastUse = uses
        streams[ssrc] = stream
        lastSsrc = ssrc
        lastStream = stream
        return stream
    }

    /// Makes room for a new SSRC: a sender changing SSRC again and again must not grow the
    /// session without end. The stream unused longest goes (a live one is used all the time).
    private func removeLeastRecentlyUsedStream() {
        guard let oldest = streams.min(by: { $0.value.lastUse < $1.value.lastUse })?.key else { return }
        removeStream(ssrc: oldest)
    }

    @inline(__always)
    private func fail(_ error: SrtpError, _ stream: SrtpStreamState? = nil) -> SrtpResult {
        if let stream {
            stream.statistics.record(error)
        } else {
            unattributedStatistics.record(error)
        }
        return .failure(error)
    }
}
