import COpenSSL

/// An owned OpenSSL `X509` certificate, freed on deinit.
final class OpenSslCertificate {
    let pointer: OpaquePointer

    init(takingOwnershipOf pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Parses a DER certificate.
    convenience init(der: [UInt8]) throws(OpenSslError) {
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw .drain("d2i_X509") }
        self.init(takingOwnershipOf: parsed)
    }

    /// Reads the first certificate from PEM text in `bio` (the leaf of a full chain file).
    convenience init(pem bio: OpenSslBio) throws(OpenSslError) {
        guard let parsed = PEM_read_bio_X509(bio.pointer, nil, nil, nil) else { throw .drain("PEM_read_bio_X509") }
        self.init(takingOwnershipOf: parsed)
    }

    /// A self-signed X.509 v3 certificate for `key`, valid from ten years ago to ten years
    /// ahead like mediasoup's, with `commonName` as both subject and issuer (O and CN), signed
    /// with ECDSA-SHA256.
    static func selfSigned(key: OpenSslPrivateKey, commonName: String) throws(OpenSslError) -> OpenSslCertificate {
        guard let pointer = X509_new() else { throw .drain("X509_new") }
        let certificate = OpenSslCertificate(takingOwnershipOf: pointer)
        let tenYears = 10 * 365 * 24 * 3600
        guard X509_set_version(pointer, 2) == 1 else { throw .drain("X509_set_version") }
        guard ASN1_INTEGER_set(X509_get_serialNumber(pointer), Int.random(in: 1...Int(Int32.max))) == 1 else {
            throw .drain("ASN1_INTEGER_set(serialNumber)")
        }
        guard X509_gmtime_adj(X509_getm_notBefore(pointer), -tenYears) != nil,
            X509_gmtime_adj(X509_getm_notAfter(pointer), tenYears) != nil
        else { throw .drain("X509_gmtime_adj") }
        guard X509_set_pubkey(pointer, key.pointer) == 1 else { throw .drain("X509_set_pubkey") }
        guard let name = X509_get_subject_name(pointer) else { throw .drain("X509_get_subject_name") }
        let nameBytes = Array(commonName.utf8)
        for field in ["O", "CN"] {
            guard X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC, nameBytes, Int32(nameBytes.count), -1, 0) == 1
            else { throw .drain("X509_NAME_add_entry_by_txt(\(field))") }
        }
        guard X509_set_issuer_name(pointer, name) == 1 else { throw .drain("X509_set_issuer_name") }
        guard X509_sign(pointer, key.pointer, EVP_sha256()) > 0 else { throw .drain("X509_sign") }
        return certificate
    }

    /// The certificate in DER, the bytes fingerprints are computed over.
    func der() throws(OpenSslError) -> [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else { throw .drain("i2d_X509") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509(pointer, &cursor)
        }
        guard written == length else { throw .drain("i2d_X509") }
        return der
    }

    /// The certificate as PEM text.
    func pem() throws(OpenSslError) -> String {
        let bio = try OpenSslBio.memory()
        guard PEM_write_bio_X509(bio.pointer, pointer) == 1 else { throw .drain("PEM_write_bio_X509") }
        return String(decoding: bio.readAll(), as: UTF8.self)
    }

    /// Whether `key` is the private key of this certificate's public key.
    func isSigned(by key: OpenSslPrivateKey) -> Bool {
        let matches = X509_check_private_key(pointer, key.pointer) == 1
        OpenSslError.drainQueue()
        return matches
    }

    /// The certificate's fingerprint with `algorithm`, in mediasoup's format.
    func fingerprint(_ algorithm: DtlsFingerprintAlgorithm) throws(OpenSslError) -> DtlsFingerprint {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(pointer, algorithm.messageDigest, &digest, &length) == 1 else {
            throw .drain("X509_digest(\(algorithm.rawValue))")
        }
        return DtlsFingerprint(algorithm: algorithm, digest: digest.prefix(Int(length)))
    }
}
