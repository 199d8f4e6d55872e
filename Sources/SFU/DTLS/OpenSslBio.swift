import COpenSSL
import CMediaShim

/// An owned OpenSSL `BIO`, freed on deinit.
///
/// When a BIO is handed to an `SSL` (`SSL_set_bio`), take an extra reference with
/// ``retainForSsl()`` first: `SSL_free` then drops the SSL's reference and this object's deinit
/// drops its own, whichever comes first.
final class OpenSslBio {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        BIO_free(pointer)
    }

    /// A growable in-memory BIO whose reads on an empty buffer report "retry" rather than
    /// end-of-file, which is what DTLS over memory BIOs needs.
    static func memory() throws(OpenSslError) -> OpenSslBio {
        guard let pointer = BIO_new(BIO_s_mem()) else { throw .drain("BIO_new(BIO_s_mem())") }
        let bio = OpenSslBio(pointer: pointer)
        guard cms_BIO_set_mem_eof_return(pointer, -1) == 1 else { throw .drain("BIO_set_mem_eof_return") }
        return bio
    }

    /// A memory BIO holding a copy of `bytes`, for parsing.
    static func memory(containing bytes: some Collection<UInt8>) throws(OpenSslError) -> OpenSslBio {
        let bio = try memory()
        guard Array(bytes).withUnsafeBytes({ bio.write($0) }) else { throw .drain("BIO_write") }
        return bio
    }

    /// The file at `path`, opened for reading.
    static func file(readingFrom path: String) throws(OpenSslError) -> OpenSslBio {
        guard let pointer = BIO_new_file(path, "r") else { throw .drain("BIO_new_file(\(path))") }
        return OpenSslBio(pointer: pointer)
    }

    /// Appends `bytes` to a memory BIO; `false` if it could not grow (out of memory).
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        return BIO_write(pointer, base, Int32(bytes.count)) == Int32(bytes.count)
    }

    /// Number of bytes a memory BIO holds.
    var pendingByteCount: Int { Int(BIO_ctrl_pending(pointer)) }

    /// Removes and returns everything a memory BIO holds.
    func readAll() -> [UInt8] {
        let count = pendingByteCount
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = Int(max(0, BIO_read(pointer, buffer.baseAddress, Int32(count))))
        }
    }

    /// Discards everything a memory BIO holds.
    func discardAll() {
        if pendingByteCount > 0 {
            BIO_ctrl(pointer, BIO_CTRL_RESET, 0, nil)
        }
    }

    /// Takes the reference `SSL_set_bio` will own.
    func retainForSsl() {
        BIO_up_ref(pointer)
    }
}
