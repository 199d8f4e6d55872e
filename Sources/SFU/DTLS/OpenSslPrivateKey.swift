import COpenSSL

/// An owned OpenSSL `EVP_PKEY`, freed on deinit.
final class OpenSslPrivateKey {
    let pointer: OpaquePointer

    init(takingOwnershipOf pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// A fresh ECDSA key on NIST P-256 (prime256v1), what browsers and mediasoup use.
    static func generateP256() throws(OpenSslError) -> OpenSslPrivateKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { throw .drain("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .drain("EVP_PKEY_keygen_init") }
        guard EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) > 0 else {
            throw .drain("EVP_PKEY_CTX_set_ec_paramgen_curve_nid")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen(context, &key) == 1, let key else { throw .drain("EVP_PKEY_keygen") }
        return OpenSslPrivateKey(takingOwnershipOf: key)
    }

    /// Parses a DER private key (SEC1, PKCS#1 or unencrypted PKCS#8).
    convenience init(der: [UInt8]) throws(OpenSslError) {
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw .drain("d2i_AutoPrivateKey") }
        self.init(takingOwnershipOf: parsed)
    }

    /// Reads the first private key from PEM text in `bio`. Encrypted keys are refused rather
    /// than prompting for a pass phrase on the terminal (OpenSSL's default).
    convenience init(pem bio: OpenSslBio) throws(OpenSslError) {
        // A zero-length pass phrase from the callback refuses encrypted keys.
        guard let parsed = PEM_read_bio_PrivateKey(bio.pointer, nil, { _, _, _, _ in 0 }, nil) else {
            throw .drain("PEM_read_bio_PrivateKey")
        }
        self.init(takingOwnershipOf: parsed)
    }

    /// The key in DER (`i2d_PrivateKey`), which ``init(der:)`` reads back.
    func der() throws(OpenSslError) -> [UInt8] {
        let length = i2d_PrivateKey(pointer, nil)
        guard length > 0 else { throw .drain("i2d_PrivateKey") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PrivateKey(pointer, &cursor)
        }
        guard written == length else { throw .drain("i2d_PrivateKey") }
        return der
    }
}
