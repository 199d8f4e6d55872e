import NIOSSL

/// Loads the HTTPS certificate chain and key into a TLS server configuration, turning unreadable
/// or mismatched files into configuration errors rather than crashes.
enum TLSMaterial {
    static func serverConfiguration(https: ServerConfiguration.HTTPS) throws(ConfigurationError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(https.certificatePath)
        } catch {
            throw .unreadableCertificate(.certificate, path: https.certificatePath, reason: "not a readable PEM certificate (\(error))")
        }
        guard !chain.isEmpty else {
            throw .unreadableCertificate(.certificate, path: https.certificatePath, reason: "holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: https.privateKeyPath, format: .pem)
        } catch {
            throw .unreadableCertificate(.privateKey, path: https.privateKeyPath, reason: "not a readable PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .unreadableCertificate(
                .privateKey, path: https.privateKeyPath, reason: "does not match the certificate or is unusable (\(error))")
        }
        return configuration
    }
}
