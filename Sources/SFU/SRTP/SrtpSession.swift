/// One direction of a transport's SRTP (mediasoup's `SrtpSession`), on the chosen backend.
///
/// ```swift
/// // WebRTC transport, after the DTLS handshake exported its keying material:
/// let keys = try SrtpMasterKey.dtlsExport(material, suite: suite, localIsClient: role == .client)
/// let sendSession = try SrtpSession(direction: .outbound, masterKey: keys.outbound)
/// let recvSession = try SrtpSession(direction: .inbound, masterKey: keys.inbound)
///
/// // Plain transport with SRTP, from signaled srtpParameters:
/// let remote = try SrtpMasterKey(cryptoSuite: "AES_CM_128_HMAC_SHA1_80", keyBase64: keyBase64)
/// let recvSession = try SrtpSession(direction: .inbound, masterKey: remote)
///
/// switch recvSession.unprotectRtp(&datagram) {   // ByteBuffer, decrypted in place
/// case .success: handle(datagram)
/// case .failure: break                            // counted in statistics(ssrc:)
/// }
/// ```
///
/// Dispatches to the backend with a switch (no existential), so callers don't care which one
/// runs. Not Sendable: must be used on the event loop that owns the transport.
public final class SrtpSession: SrtpTransform {
    private enum Implementation {
        case openssl(OpenSslSrtpSession)
        case libsrtp(LibSrtpSession)
    }

    private let implementation: Implementation
    public let backend: SrtpBackend

    public init(
        direction: SrtpDirection,
        masterKey: SrtpMasterKey,
        backend: SrtpBackend = .openssl,
        configuration: SrtpSessionConfiguration = SrtpSessionConfiguration()
    ) throws(SrtpConfigurationError) {
        self.backend = backend
        switch backend {
        case .openssl:
            implementation = .openssl(
                try OpenSslSrtpSession(direction: direction, masterKey: masterKey, configuration: configuration))
        case .libsrtp:
            implementation = .libsrtp(
                try LibSrtpSession(direction: direction, masterKey: masterKey, configuration: configuration))
        }
    }

    public var suite: SrtpCryptoSuite {
        switch implementation {
        case .openssl(let session): session.suite
        case .libsrtp(let session): session.suite
        }
    }

    public var direction: SrtpDirection {
        switch implementation {
        case .openssl(let session): session.direction
        case .libsrtp(let session): session.direction
        }
    }

    public func protectRtp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        switch implementation {
        case .openssl(let session): session.protectRtp(packet, length: length)
        case .libsrtp(let session): session.protectRtp(packet, length: length)
        }
    }

    public func unprotectRtp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        switch implementation {
        case .openssl(let session): session.unprotectRtp(packet, length: length)
        case .libsrtp(let session): session.unprotectRtp(packet, length: length)
        }
    }

    public func protectRtcp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        switch implementation {
        case .openssl(let session): session.protectRtcp(packet, length: length)
        case .libsrtp(let session): session.protectRtcp(packet, length: length)
        }
    }

    public func unprotectRtcp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult {
        switch implementation {
        case .openssl(let session): session.unprotectRtcp(packet, length: length)
        case .libsrtp(let session): session.unprotectRtcp(packet, length: length)
        }
    }

    public func removeStream(ssrc: UInt32) {
        switch implementation {
        case .openssl(let session): session.removeStream(ssrc: ssrc)
        case .libsrtp(let session): session.removeStream(ssrc: ssrc)
        }
    }

    public func statistics(ssrc: UInt32) -> SrtpStreamStatistics? {
        switch implementation {
        case .openssl(let session): session.statistics(ssrc: ssrc)
        case .libsrtp(let session): session.statistics(ssrc: ssrc)
        }
    }

    public var unattributedStatistics: SrtpStreamStatistics {
        switch implementation {
        case .openssl(let session): session.unattributedStatistics
        case .libsrtp(let session): session.unattributedStatistics
        }
    }
}
