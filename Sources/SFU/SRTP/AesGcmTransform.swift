/// AEAD_AES_128_GCM / AEAD_AES_256_GCM (RFC 7714) for one of SRTP or SRTCP of one session,
/// working in place on packet memory.
///
/// - IV (§8.1, §9.1): salt ⊕ (00 00 ‖ SSRC ‖ ROC ‖ SEQ) for SRTP, salt ⊕ (00 00 ‖ SSRC ‖
///   00 00 ‖ 0 ‖ SRTCP index) for SRTCP — both are salt ⊕ (00 00 ‖ SSRC ‖ 48-bit index).
/// - SRTP: AAD = the RTP header (with CSRCs and extension); output header ‖ C ‖ tag(16).
/// - SRTCP (§9, §17): AAD = first 8 bytes ‖ E-flag|index, output header ‖ C ‖ tag ‖
///   E-flag|index; with E = 0 the whole packet is AAD and nothing is encrypted.
///
/// OpenSSL decrypts before it can check the tag, so a failed open re-applies the same
/// keystream to give the packet back its received bytes (only on the failure path).
final class AesGcmTransform {
    static let tagLength = 16
    private let cipher: EvpCipherContext
    private let saltHigh: UInt64
    private let saltLow: UInt32
    /// 12-byte IV, 4-byte SRTCP E|index for the AAD.
    private let scratch: UnsafeMutableRawPointer
    private static let ivOffset = 0
    private static let trailerOffset = 16

    init(keys: SrtpSessionKeys) throws(SrtpConfigurationError) {
        precondition(keys.salt.count == 12)
        let algorithm: String
        switch keys.encryptionKey.count {
        case 16: algorithm = "AES-128-GCM"
        case 32: algorithm = "AES-256-GCM"
        default: throw .openSsl(operation: "AES-GCM with a \(keys.encryptionKey.count)-byte key")
        }
        cipher = try EvpCipherContext(algorithm: algorithm, key: keys.encryptionKey)
        var high: UInt64 = 0
        var low: UInt32 = 0
        for byte in keys.salt[0..<8] { high = high << 8 | UInt64(byte) }
        for byte in keys.salt[8..<12] { low = low << 8 | UInt32(byte) }
        saltHigh = high
        saltLow = low
        scratch = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 16)
        scratch.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
    }

    deinit { scratch.deallocate() }

    @inline(__always)
    func protectRtp(_ packet: UnsafeMutableRawPointer, headerLength: Int, length: Int, ssrc: UInt32, index: UInt64)
        -> Int?
    {
        setIv(ssrc: ssrc, index: index)
        guard cipher.reset(iv: scratch + Self.ivOffset, encrypt: true),
            cipher.addAuthenticatedData(packet, count: headerLength),
            cipher.update(packet + headerLength, count: length - headerLength),
            cipher.finish(),
            cipher.tag(into: packet + length, count: Self.tagLength)
        else { return nil }
        return length + Self.tagLength
    }

    @inline(__always)
    func unprotectRtp(_ packet: UnsafeMutableRawPointer, headerLength: Int, length: Int, ssrc: UInt32, index: UInt64)
        -> Int?
    {
        let ciphertextEnd = length - Self.tagLength
        setIv(ssrc: ssrc, index: index)
        guard cipher.reset(iv: scratch + Self.ivOffset, encrypt: false),
            cipher.addAuthenticatedData(packet, count: headerLength)
        else { return nil }
        return open(packet + headerLength, count: ciphertextEnd - headerLength, tag: packet + ciphertextEnd)
            ? ciphertextEnd : nil
    }

    @inline(__always)
    func protectRtcp(_ packet: UnsafeMutableRawPointer, length: Int, ssrc: UInt32, index: UInt32) -> Int? {
        let clear = SrtpPacketHeader.rtcpClearLength
        let trailer = 0x8000_0000 | index
        SrtpPacketHeader.writeUInt32(trailer, to: scratch, at: Self.trailerOffset)
        setIv(ssrc: ssrc, index: UInt64(index))
        guard cipher.reset(iv: scratch + Self.ivOffset, encrypt: true),
            cipher.addAuthenticatedData(packet, count: clear),
            cipher.addAuthenticatedData(scratch + Self.trailerOffset, count: 4),
            cipher.update(packet + clear, count: length - clear),
            cipher.finish(),
            cipher.tag(into: packet + length, count: Self.tagLength)
        else { return nil }
        SrtpPacketHeader.writeUInt32(trailer, to: packet, at: length + Self.tagLength)
        return length + Self.tagLength + 4
    }

    /// `length` includes tag and E|index; returns the RTCP length.
    @inline(__always)
    func unprotectRtcp(_ packet: UnsafeMutableRawPointer, length: Int, ssrc: UInt32, index: UInt32, encrypted: Bool)
        -> Int?
    {
        let rtcpLength = length - 4 - Self.tagLength
        let clear = encrypted ? SrtpPacketHeader.rtcpClearLength : rtcpLength
        setIv(ssrc: ssrc, index: UInt64(index))
        guard cipher.reset(iv: scratch + Self.ivOffset, encrypt: false),
            cipher.addAuthenticatedData(packet, count: clear),
            cipher.addAuthenticatedData(packet + length - 4, count: 4)
        else { return nil }
        return open(packet + clear, count: rtcpLength - clear, tag: packet + rtcpLength) ? rtcpLength : nil
    }

    /// Decrypts `count` bytes in place and checks `tag`; on failure restores the ciphertext.
    @inline(__always)
    private func open(_ bytes: UnsafeMutableRawPointer, count: Int, tag: UnsafeRawPointer) -> Bool {
        guard cipher.update(bytes, count: count) else { return false }
        if cipher.setExpectedTag(tag, count: Self.tagLength), cipher.finish() { return true }
        // Same key and IV give the same CTR keystream in either direction.
        _ = cipher.reset(iv: scratch + Self.ivOffset, encrypt: true)
        _ = cipher.update(bytes, count: count)
        return false
    }

    @inline(__always)
    private func setIv(ssrc: UInt32, index: UInt64) {
        SrtpPacketHeader.writeUInt64(saltHigh ^ (UInt64(ssrc) << 16 | index >> 32), to: scratch, at: Self.ivOffset)
        SrtpPacketHeader.writeUInt32(saltLow ^ UInt32(truncatingIfNeeded: index), to: scratch, at: Self.ivOffset + 8)
    }
}
