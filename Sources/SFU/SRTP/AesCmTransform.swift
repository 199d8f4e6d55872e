import COpenSSL

/// AES-128 counter mode with HMAC-SHA1 (RFC 3711 §4.1.1, §4.2.1) for one of SRTP or SRTCP of
/// one session, working in place on packet memory.
///
/// The keystream cipher and HMAC states are keyed once; per packet only the IV changes. The
/// digest and ROC scratch live in one small allocation made at creation.
///
/// Packet layouts (RFC 3711 §3.1, §3.4):
/// - SRTP:  header ‖ E(payload) ‖ tag, tag = HMAC(header ‖ E(payload) ‖ ROC)
/// - SRTCP: header(8) ‖ E(rest) ‖ E-flag|index ‖ tag, tag = HMAC(everything before it)
final class AesCmTransform {
    private let keystream: AesCounterKeystream
    private let hmac: HmacSha1Key
    private let tagLength: Int
    /// Salt bytes 0..<8 and 8..<14 (shifted into the high 48 bits), big-endian, for the IV.
    private let saltHigh: UInt64
    private let saltLow: UInt64
    /// 20-byte digest, 4-byte ROC.
    private let scratch: UnsafeMutableRawPointer
    private static let digestOffset = 0
    private static let suffixOffset = 20

    init(keys: SrtpSessionKeys, tagLength: Int) throws(SrtpConfigurationError) {
        precondition(keys.salt.count == 14 && keys.encryptionKey.count == 16 && keys.authenticationKey.count == 20)
        keystream = try AesCounterKeystream(key: keys.encryptionKey)
        hmac = HmacSha1Key(key: keys.authenticationKey)
        self.tagLength = tagLength
        var high: UInt64 = 0
        var low: UInt64 = 0
        for byte in keys.salt[0..<8] { high = high << 8 | UInt64(byte) }
        for byte in keys.salt[8..<14] { low = low << 8 | UInt64(byte) }
        saltHigh = high
        saltLow = low << 16
        scratch = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 16)
        scratch.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
    }

    deinit { scratch.deallocate() }

    /// Encrypts `packet[headerLength..<length]` and appends the tag; returns the new length.
    @inline(__always)
    func protectRtp(_ packet: UnsafeMutableRawPointer, headerLength: Int, length: Int, ssrc: UInt32, index: UInt64)
        -> Int?
    {
        guard applyKeystream(packet + headerLength, count: length - headerLength, ssrc: ssrc, index: index) else {
            return nil
        }
        SrtpPacketHeader.writeUInt32(UInt32(truncatingIfNeeded: index >> 16), to: scratch, at: Self.suffixOffset)
        authenticate(packet, count: length, suffixCount: 4)
        (packet + length).copyMemory(from: scratch + Self.digestOffset, byteCount: tagLength)
        return length + tagLength
    }

    /// Verifies the tag of `packet[0..<length]` with `index`'s ROC and, if it matches, decrypts
    /// in place and returns the length without tag. On a mismatch the packet is untouched.
    @inline(__always)
    func unprotectRtp(_ packet: UnsafeMutableRawPointer, headerLength: Int, length: Int, ssrc: UInt32, index: UInt64)
        -> Int?
    {
        let authenticatedLength = length - tagLength
        SrtpPacketHeader.writeUInt32(UInt32(truncatingIfNeeded: index >> 16), to: scratch, at: Self.suffixOffset)
        authenticate(packet, count: authenticatedLength, suffixCount: 4)
        guard tagMatches(packet + authenticatedLength) else { return nil }
        guard applyKeystream(packet + headerLength, count: authenticatedLength - headerLength, ssrc: ssrc, index: index)
        else { return nil }
        return authenticatedLength
    }

    /// Encrypts everything after the first 8 bytes, appends E|index and the tag.
    @inline(__always)
    func protectRtcp(_ packet: UnsafeMutableRawPointer, length: Int, ssrc: UInt32, index: UInt32) -> Int? {
        let clear = SrtpPacketHeader.rtcpClearLength
        guard applyKeystream(packet + clear, count: length - clear, ssrc: ssrc, index: UInt64(index)) else {
            return nil
        }
        SrtpPacketHeader.writeUInt32(0x8000_0000 | index, to: packet, at: length)
        authenticate(packet, count: length + 4, suffixCount: 0)
        (packet + length + 4).copyMemory(from: scratch + Self.digestOffset, byteCount: tagLength)
        return length + 4 + tagLength
    }

    /// Verifies the tag over everything before it and, if `encrypted`, decrypts; returns the
    /// RTCP length (without E|index and tag). On a mismatch the packet is untouched.
    @inline(__always)
    func unprotectRtcp(_ packet: UnsafeMutableRawPointer, length: Int, ssrc: UInt32, index: UInt32, encrypted: Bool)
        -> Int?
    {
        let authenticatedLength = length - tagLength
        authenticate(packet, count: authenticatedLength, suffixCount: 0)
        guard tagMatches(packet + authenticatedLength) else { return nil }
        let rtcpLength = authenticatedLength - 4
        let clear = SrtpPacketHeader.rtcpClearLength
        if encrypted {
            guard applyKeystream(packet + clear, count: rtcpLength - clear, ssrc: ssrc, index: UInt64(index)) else {
                return nil
            }
        }
        return rtcpLength
    }

    /// XORs the AES-CM keystream for (ssrc, index) over `bytes`: IV = (salt·2^16) ⊕ (ssrc·2^64) ⊕ (index·2^16).
    @inline(__always)
    private func applyKeystream(_ bytes: UnsafeMutableRawPointer, count: Int, ssrc: UInt32, index: UInt64) -> Bool {
        keystream.apply(to: bytes, count: count, ivHigh: saltHigh ^ UInt64(ssrc), ivLow: saltLow ^ (index << 16))
    }

    @inline(__always)
    private func authenticate(_ bytes: UnsafeRawPointer, count: Int, suffixCount: Int) {
        hmac.authenticate(
            bytes, count: count,
            suffix: scratch + Self.suffixOffset, suffixCount: suffixCount,
            digest: (scratch + Self.digestOffset).assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    private func tagMatches(_ received: UnsafeRawPointer) -> Bool {
        CRYPTO_memcmp(received, scratch + Self.digestOffset, tagLength) == 0
    }
}
