import COpenSSL

/// Owns one OpenSSL `EVP_CIPHER_CTX`, keyed once at creation and re-initialised per packet
/// with only a new IV (`EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, -1)`), which neither
/// re-expands the key nor allocates.
///
/// Not Sendable: it belongs to the session that created it, on that session's event loop.
final class EvpCipherContext {
    let pointer: OpaquePointer
    private let cipher: OpaquePointer

    /// - Parameters:
    ///   - algorithm: an OpenSSL cipher name, e.g. `"AES-128-CTR"` or `"AES-256-GCM"`.
    ///   - encrypt: the direction the context is initialised for; AES-CTR is symmetric, GCM
    ///     contexts switch per call through ``reset(iv:encrypt:)``.
    init(algorithm: String, key: [UInt8], encrypt: Bool = true) throws(SrtpConfigurationError) {
        guard let cipher = EVP_CIPHER_fetch(nil, algorithm, nil) else {
            throw .openSsl(operation: "EVP_CIPHER_fetch(\(algorithm))")
        }
        guard let context = EVP_CIPHER_CTX_new() else {
            EVP_CIPHER_free(cipher)
            throw .openSsl(operation: "EVP_CIPHER_CTX_new")
        }
        self.cipher = cipher
        self.pointer = context
        guard Int(EVP_CIPHER_get_key_length(cipher)) == key.count else {
            throw .openSsl(operation: "EVP_CIPHER_get_key_length(\(algorithm)) != \(key.count)")
        }
        let status = key.withUnsafeBufferPointer { keyBytes in
            EVP_CipherInit_ex(context, cipher, nil, keyBytes.baseAddress, nil, encrypt ? 1 : 0)
        }
        guard status == 1 else { throw .openSsl(operation: "EVP_CipherInit_ex(\(algorithm))") }
    }

    deinit {
        EVP_CIPHER_CTX_free(pointer)
        EVP_CIPHER_free(cipher)
    }

    /// Starts a new message with `iv`, keeping the key. `encrypt` may switch direction (GCM).
    @inline(__always)
    func reset(iv: UnsafeRawPointer, encrypt: Bool) -> Bool {
        EVP_CipherInit_ex(pointer, nil, nil, nil, iv.assumingMemoryBound(to: UInt8.self), encrypt ? 1 : 0) == 1
    }

    /// Transforms `count` bytes at `bytes` in place (AES-CTR and GCM allow in == out).
    @inline(__always)
    func update(_ bytes: UnsafeMutableRawPointer, count: Int) -> Bool {
        guard count > 0 else { return true }
        var written: Int32 = 0
        let pointer = bytes.assumingMemoryBound(to: UInt8.self)
        return EVP_CipherUpdate(self.pointer, pointer, &written, pointer, Int32(count)) == 1
            && Int(written) == count
    }

    /// Feeds `count` bytes of additional authenticated data (GCM).
    @inline(__always)
    func addAuthenticatedData(_ bytes: UnsafeRawPointer, count: Int) -> Bool {
        guard count > 0 else { return true }
        var written: Int32 = 0
        return EVP_CipherUpdate(pointer, nil, &written, bytes.assumingMemoryBound(to: UInt8.self), Int32(count)) == 1
    }

    /// Finishes the message; for GCM decryption this is where the tag is verified.
    @inline(__always)
    func finish() -> Bool {
        var written: Int32 = 0
        var scratch: UInt8 = 0
        return EVP_CipherFinal_ex(pointer, &scratch, &written) == 1
    }

    /// Reads the GCM tag after ``finish()`` of an encryption.
    @inline(__always)
    func tag(into destination: UnsafeMutableRawPointer, count: Int) -> Bool {
        EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_AEAD_GET_TAG, Int32(count), destination) == 1
    }

    /// Sets the expected GCM tag before ``finish()`` of a decryption.
    @inline(__always)
    func setExpectedTag(_ source: UnsafeRawPointer, count: Int) -> Bool {
        EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_AEAD_SET_TAG, Int32(count), UnsafeMutableRawPointer(mutating: source))
            == 1
    }
}
