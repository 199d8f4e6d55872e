import COpenSSL

/// The AES-128 counter-mode keystream of SRTP's AES-CM (RFC 3711 §4.1.1): counter blocks encrypted
/// with AES-ECB, XORed over the data.
///
/// Not OpenSSL's AES-CTR: every packet has a new IV, and OpenSSL 3.0 sets one
/// (`EVP_CipherInit_ex` with only an IV) by looking the IV length up by name through the
/// provider's parameters, which costs more than encrypting a small packet. The ECB context is
/// keyed once and never re-initialised.
///
/// Not Sendable: it belongs to its transform, on that transform's event loop.
final class AesCounterKeystream {
    private let cipher: EvpCipherContext
    /// Counter blocks, encrypted in place `chunkBlocks` at a time.
    private let blocks: UnsafeMutableRawPointer
    private static let chunkBlocks = 32

    init(key: [UInt8]) throws(SrtpConfigurationError) {
        cipher = try EvpCipherContext(algorithm: "AES-128-ECB", key: key)
        guard EVP_CIPHER_CTX_set_padding(cipher.pointer, 0) == 1 else {
            throw .openSsl(operation: "EVP_CIPHER_CTX_set_padding")
        }
        blocks = .allocate(byteCount: Self.chunkBlocks * 16, alignment: 16)
    }

    deinit { blocks.deallocate() }

    /// XORs the keystream of the 128-bit IV `ivHigh ‖ ivLow` over `bytes[0..<count]`. Block i
    /// uses IV + i; SRTP's IV has its 16 low bits zero, so the addition never carries into
    /// `ivHigh`.
    @inline(__always)
    func apply(to bytes: UnsafeMutableRawPointer, count: Int, ivHigh: UInt64, ivLow: UInt64) -> Bool {
        let high = ivHigh.bigEndian
        var counter: UInt64 = 0
        var offset = 0
        while offset < count {
            let chunk = min(count - offset, Self.chunkBlocks * 16)
            let blockCount = (chunk + 15) / 16
            for block in 0..<blockCount {
                blocks.storeBytes(of: high, toByteOffset: 16 * block, as: UInt64.self)
                blocks.storeBytes(of: (ivLow &+ counter).bigEndian, toByteOffset: 16 * block + 8, as: UInt64.self)
                counter += 1
            }
            guard cipher.update(blocks, count: 16 * blockCount) else { return false }
            let target = bytes + offset
            var index = 0
            while index + 8 <= chunk {
                let mixed = target.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    ^ blocks.load(fromByteOffset: index, as: UInt64.self)
                target.storeBytes(of: mixed, toByteOffset: index, as: UInt64.self)
                index += 8
            }
            while index < chunk {
                let mixed = target.load(fromByteOffset: index, as: UInt8.self)
                    ^ blocks.load(fromByteOffset: index, as: UInt8.self)
                target.storeBytes(of: mixed, toByteOffset: index, as: UInt8.self)
                index += 1
            }
            offset += chunk
        }
        return true
    }
}
