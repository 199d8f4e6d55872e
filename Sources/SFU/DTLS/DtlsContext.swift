import COpenSSL
import CMediaShim

/// An OpenSSL `SSL_CTX` configured for WebRTC DTLS as mediasoup configures its own: the
/// certificate and key, DTLS 1.0 and 1.2 (`DTLS_method`, no minimum version, like mediasoup),
/// mediasoup's cipher list, `use_srtp` with the SRTP profiles, a peer certificate required but
/// accepted whatever its issuer (it is self-signed; the fingerprint check after the handshake
/// authenticates it), no session cache or tickets, read-ahead, and no MTU queries.
///
/// Create one per worker event loop and share it among that loop's ``DtlsTransport``s, as
/// mediasoup keeps one `thread_local` context per worker. It is not `Sendable` on purpose: its
/// OpenSSL objects stay on the loop that made them.
public final class DtlsContext {
    /// mediasoup's cipher list (worker/src/RTC/DtlsTransport.cpp).
    static let cipherList = "DEFAULT:!NULL:!aNULL:!SHA256:!SHA384:!aECDH:!AESGCM+AES256:!aPSK"

    public let certificate: DtlsCertificate
    /// The SRTP profiles offered (as client) or accepted (as server), most preferred first.
    public let srtpProfiles: [DtlsSrtpProfile]
    let pointer: OpaquePointer

    /// - Parameter srtpProfiles: most preferred first; the default is mediasoup's list
    ///   `AEAD_AES_256_GCM, AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32`.
    public init(
        certificate: DtlsCertificate, srtpProfiles: [DtlsSrtpProfile] = DtlsSrtpProfile.allCases
    ) throws(DtlsError) {
        guard !srtpProfiles.isEmpty else { throw .noSrtpProfiles }
        do {
            pointer = try Self.makeContext(certificate: certificate, srtpProfiles: srtpProfiles)
        } catch {
            throw .contextCreationFailed(error)
        }
        self.certificate = certificate
        self.srtpProfiles = srtpProfiles
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    private static func makeContext(
        certificate: DtlsCertificate, srtpProfiles: [DtlsSrtpProfile]
    ) throws(OpenSslError) -> OpaquePointer {
        OpenSslError.drainQueue()
        let x509 = try OpenSslCertificate(der: certificate.certificateDER)
        let key = try OpenSslPrivateKey(der: certificate.privateKeyDER)
        guard let context = SSL_CTX_new(DTLS_method()) else { throw .drain("SSL_CTX_new(DTLS_method())") }
        var configured = false
        defer { if !configured { SSL_CTX_free(context) } }

        // The context takes its own references to the certificate and the key.
        guard SSL_CTX_use_certificate(context, x509.pointer) == 1 else { throw .drain("SSL_CTX_use_certificate") }
        guard SSL_CTX_use_PrivateKey(context, key.pointer) == 1 else { throw .drain("SSL_CTX_use_PrivateKey") }
        guard SSL_CTX_check_private_key(context) == 1 else { throw .drain("SSL_CTX_check_private_key") }

        // SSL_OP_* are function-like macros Swift cannot import; bit numbers from ssl.h.
        let cipherServerPreference = UInt64(1) << 22
        let noTicket = UInt64(1) << 14
        let noQueryMtu = UInt64(1) << 12
        SSL_CTX_set_options(context, cipherServerPreference | noTicket | noQueryMtu)
        // These two controls return the previous setting, not a status: nothing to check.
        SSL_CTX_ctrl(context, SSL_CTRL_SET_SESS_CACHE_MODE, Int(SSL_SESS_CACHE_OFF), nil)
        cms_SSL_CTX_set_read_ahead(context, 1)
        SSL_CTX_set_verify_depth(context, 4)
        SSL_CTX_set_verify(
            context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
            { _, _ in
                // Self-signed by design: the signaled fingerprint, checked once the handshake
                // is done, is what authenticates the peer.
                1
            })
        SSL_CTX_set_info_callback(context) { ssl, location, value in
            guard let ssl, let transport = SSL_get_ex_data(ssl, 0) else { return }
            Unmanaged<DtlsTransport>.fromOpaque(transport).takeUnretainedValue()
                .noteInfo(location: location, value: value)
        }
        guard SSL_CTX_set_cipher_list(context, cipherList) == 1 else { throw .drain("SSL_CTX_set_cipher_list") }
        // ECDHE curves: OpenSSL >= 1.1.0 selects them automatically (SSL_CTX_set_ecdh_auto is a no-op).

        let profileList = srtpProfiles.map(\.openSslName).joined(separator: ":")
        // Unlike almost every OpenSSL function, this one returns 0 on success.
        guard SSL_CTX_set_tlsext_use_srtp(context, profileList) == 0 else {
            throw .drain("SSL_CTX_set_tlsext_use_srtp(\(profileList))")
        }
        configured = true
        return context
    }
}
