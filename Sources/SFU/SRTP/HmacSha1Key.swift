import CMediaShim

/// An HMAC-SHA1 key with its inner and outer SHA-1 states computed once, so each packet costs
/// two state copies and the SHA-1 compressions of its own bytes: no key schedule, no
/// allocation. (OpenSSL 3.0's `EVP_MAC_init`/`HMAC_Init_ex` re-initialisation copies digest
/// contexts through the provider layer, which allocates twice per packet and measured ~1.3–1.9×
/// slower on 1200/160-byte packets.)
///
/// Not Sendable: owned by one session on one event loop.
final class HmacSha1Key {
    static let digestLength = 20
    private let states: UnsafeMutableRawPointer
    private let stateSize: Int

    init(key: [UInt8]) {
        stateSize = cms_sha1_state_size()
        states = UnsafeMutableRawPointer.allocate(byteCount: 2 * stateSize, alignment: 16)
        let outer = states + stateSize
        key.withUnsafeBufferPointer { cms_hmac_sha1_precompute($0.baseAddress, $0.count, states, outer) }
    }

    deinit {
        states.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * stateSize)
        states.deallocate()
    }

    /// HMAC-SHA1 over `data` followed by `suffix` (the ROC for SRTP), written to `digest`
    /// (20 bytes).
    @inline(__always)
    func authenticate(
        _ data: UnsafeRawPointer, count: Int,
        suffix: UnsafeRawPointer?, suffixCount: Int,
        digest: UnsafeMutablePointer<UInt8>
    ) {
        cms_hmac_sha1(states, states + stateSize, data, count, suffix, suffixCount, digest)
    }
}
