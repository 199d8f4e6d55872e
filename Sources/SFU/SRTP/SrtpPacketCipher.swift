/// The packet transform of one suite for one of SRTP or SRTCP: an enum rather than an
/// existential so the per-packet call is a switch the optimiser can see through.
enum SrtpPacketCipher {
    case aesCm(AesCmTransform)
    case aesGcm(AesGcmTransform)

    /// Derives the session keys of `master` for SRTP or SRTCP and keys the transform.
    init(master: SrtpMasterKey, forRtcp: Bool) throws(SrtpConfigurationError) {
        let keys = try SrtpSessionKeys(deriving: master, forRtcp: forRtcp)
        try self.init(suite: master.suite, keys: keys, forRtcp: forRtcp)
    }

    /// Keys the transform with already derived session keys (test vectors give those).
    init(suite: SrtpCryptoSuite, keys: SrtpSessionKeys, forRtcp: Bool) throws(SrtpConfigurationError) {
        if suite.isAead {
            self = .aesGcm(try AesGcmTransform(keys: keys))
        } else {
            let tagLength = forRtcp ? suite.rtcpAuthTagLength : suite.rtpAuthTagLength
            self = .aesCm(try AesCmTransform(keys: keys, tagLength: tagLength))
        }
    }

    @inline(__always)
    func protectRtp(_ packet: UnsafeMutableRawPointer, headerLength: Int, length: Int, ssrc: UInt32, index: UInt64)
        -> Int?
    {
        switch self {
        case .aesCm(let transform):
            transform.protectRtp(packet, headerLength: headerLength, length: length, ssrc: ssrc, index: index)
        case .aesGcm(let transform):
            transform.protectRtp(packet, headerLength: headerLength, length: length, ssrc: ssrc, index: index)
        }
    }

    @inline(__always)
    func unprotectRtp(_ packet: UnsafeMutableRawPointer, headerLength: Int, length: Int, ssrc: UInt32, index: UInt64)
        -> Int?
    {
        switch self {
        case .aesCm(let transform):
            transform.unprotectRtp(packet, headerLength: headerLength, length: length, ssrc: ssrc, index: index)
        case .aesGcm(let transform):
            transform.unprotectRtp(packet, headerLength: headerLength, length: length, ssrc: ssrc, index: index)
        }
    }

    @inline(__always)
    func protectRtcp(_ packet: UnsafeMutableRawPointer, length: Int, ssrc: UInt32, index: UInt32) -> Int? {
        switch self {
        case .aesCm(let transform): transform.protectRtcp(packet, length: length, ssrc: ssrc, index: index)
        case .aesGcm(let transform): transform.protectRtcp(packet, length: length, ssrc: ssrc, index: index)
        }
    }

    @inline(__always)
    func unprotectRtcp(_ packet: UnsafeMutableRawPointer, length: Int, ssrc: UInt32, index: UInt32, encrypted: Bool)
        -> Int?
    {
        switch self {
        case .aesCm(let transform):
            transform.unprotectRtcp(packet, length: length, ssrc: ssrc, index: index, encrypted: encrypted)
        case .aesGcm(let transform):
            transform.unprotectRtcp(packet, length: length, ssrc: ssrc, index: index, encrypted: encrypted)
        }
    }
}
