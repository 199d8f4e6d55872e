/// The certificate and private key the SFU presents in every DTLS handshake, and the
/// fingerprints signaling announces for it (`dtlsParameters.fingerprints`).
///
/// Like mediasoup's worker, the process makes one at start (``generate()``) or loads one from
/// PEM files (mediasoup's `WORKER_CERT_FULLCHAIN` / `WORKER_CERT_PRIVKEY`), and every transport
/// uses it. It is a plain `Sendable` value holding DER bytes, so it can be handed to every
/// worker; each worker's ``DtlsContext`` parses its own OpenSSL objects from it and no OpenSSL
/// object is ever shared between threads.
public struct DtlsCertificate: Sendable, Hashable {
    /// The certificate in DER.
    public let certificateDER: [UInt8]
    /// The certificate in PEM, e.g. to inspect it with `openssl x509`.
    public let certificatePEM: String
    /// sha-1, sha-224, sha-256, sha-384 and sha-512 fingerprints, in that order: mediasoup's
    /// `dtlsParameters.fingerprints`.
    public let fingerprints: [DtlsFingerprint]
    /// The private key in DER; never printed.
    let privateKeyDER: [UInt8]

    /// Generates a self-signed ECDSA P-256 certificate, valid ±10 years, with a random
    /// `sfu-server<6 digits>` common name (mediasoup uses `mediasoup<6 digits>`).
    public static func generate() throws(DtlsError) -> DtlsCertificate {
        do {
            let key = try OpenSslPrivateKey.generateP256()
            let name = "sfu-server\(Int.random(in: 100_000...999_999))"
            let certificate = try OpenSslCertificate.selfSigned(key: key, commonName: name)
            return try DtlsCertificate(certificate: certificate, key: key)
        } catch {
            throw .certificateGenerationFailed(error)
        }
    }

    /// Loads the certificate (the first one, i.e. the leaf of a full chain) and its private key
    /// from PEM text.
    public init(certificatePEM: String, privateKeyPEM: String) throws(DtlsError) {
        let certificate: OpenSslCertificate
        let key: OpenSslPrivateKey
        do {
            certificate = try OpenSslCertificate(pem: OpenSslBio.memory(containing: certificatePEM.utf8))
        } catch {
            throw .certificateUnreadable(error)
        }
        do {
            key = try OpenSslPrivateKey(pem: OpenSslBio.memory(containing: privateKeyPEM.utf8))
        } catch {
            throw .privateKeyUnreadable(error)
        }
        try self.init(checking: certificate, key: key)
    }

    /// Loads the certificate (the first one in the file) and its private key from PEM files.
    public init(certificateFile: String, privateKeyFile: String) throws(DtlsError) {
        let certificate: OpenSslCertificate
        let key: OpenSslPrivateKey
        do {
            certificate = try OpenSslCertificate(pem: OpenSslBio.file(readingFrom: certificateFile))
        } catch {
            throw .certificateUnreadable(error)
        }
        do {
            key = try OpenSslPrivateKey(pem: OpenSslBio.file(readingFrom: privateKeyFile))
        } catch {
            throw .privateKeyUnreadable(error)
        }
        try self.init(checking: certificate, key: key)
    }

    private init(checking certificate: OpenSslCertificate, key: OpenSslPrivateKey) throws(DtlsError) {
        guard certificate.isSigned(by: key) else { throw .privateKeyDoesNotMatchCertificate }
        do {
            try self.init(certificate: certificate, key: key)
        } catch {
            throw .certificateUnreadable(error)
        }
    }

    private init(certificate: OpenSslCertificate, key: OpenSslPrivateKey) throws(OpenSslError) {
        certificateDER = try certificate.der()
        certificatePEM = try certificate.pem()
        privateKeyDER = try key.der()
        var fingerprints: [DtlsFingerprint] = []
        for algorithm in DtlsFingerprintAlgorithm.allCases {
            fingerprints.append(try certificate.fingerprint(algorithm))
        }
        self.fingerprints = fingerprints
    }

    /// The fingerprint with `algorithm`.
    public func fingerprint(_ algorithm: DtlsFingerprintAlgorithm) -> DtlsFingerprint {
        // `fingerprints` holds every algorithm, in `allCases` order.
        fingerprints[DtlsFingerprintAlgorithm.allCases.firstIndex(of: algorithm)!]
    }
}
