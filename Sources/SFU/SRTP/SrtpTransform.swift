import NIOCore

/// What every SRTP backend promises: protect or unprotect one RTP or RTCP packet in place.
///
/// A transform is one direction of one transport (mediasoup's `SrtpSession`): an ``outbound``
/// one protects, an ``inbound`` one unprotects; the other calls return
/// ``SrtpError/wrongDirection``. Streams (SSRCs) appear on their own: an outbound one on its
/// first protected packet, an inbound one on its first packet that authenticates.
///
/// In-place contract: `packet` is the memory holding the packet, starting at its first byte;
/// `length` is the packet's length. `protect` appends a trailer, so `packet.count` must be at
/// least `length` + ``SrtpCryptoSuite/rtpTrailerLength`` (RTP) or
/// ``SrtpCryptoSuite/rtcpTrailerLength`` (RTCP). Success returns the new length; failure
/// returns why and leaves the packet as it was (except libsrtp with AEAD suites, which
/// decrypts before checking the tag — a failed packet is to be dropped either way).
///
/// Threading: not thread-safe and not Sendable; must be called on the event loop that owns the
/// transport.
public protocol SrtpTransform: AnyObject {
    var suite: SrtpCryptoSuite { get }
    var direction: SrtpDirection { get }

    func protectRtp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult
    func unprotectRtp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult
    func protectRtcp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult
    func unprotectRtcp(_ packet: UnsafeMutableRawBufferPointer, length: Int) -> SrtpResult

    /// Forgets a stream (its ROC, replay window, SRTCP index, counters), as mediasoup does
    /// when a producer or consumer goes away (`srtp_remove_stream`).
    func removeStream(ssrc: UInt32)

    /// Counters of one stream, nil if the session has no such stream.
    func statistics(ssrc: UInt32) -> SrtpStreamStatistics?

    /// Failures that could not be charged to a known stream (unreadable header, unknown SSRC
    /// whose first packet did not authenticate).
    var unattributedStatistics: SrtpStreamStatistics { get }
}

extension SrtpTransform {
    /// Protects the RTP packet that is `buffer`'s readable bytes, appending the tag.
    ///
    /// Grows the buffer's capacity if it has less than the trailer's room past the packet
    /// (a reallocation then, so give packets headroom when you allocate them) and copies it if
    /// its storage is shared (copy-on-write).
    public func protectRtp(_ buffer: inout ByteBuffer) -> SrtpResult {
        transform(&buffer, trailer: suite.rtpTrailerLength) { protectRtp($0, length: $1) }
    }

    /// Unprotects the SRTP packet that is `buffer`'s readable bytes; on success the readable
    /// bytes are the RTP packet.
    public func unprotectRtp(_ buffer: inout ByteBuffer) -> SrtpResult {
        transform(&buffer, trailer: 0) { unprotectRtp($0, length: $1) }
    }

    /// Protects the RTCP (compound) packet that is `buffer`'s readable bytes.
    public func protectRtcp(_ buffer: inout ByteBuffer) -> SrtpResult {
        transform(&buffer, trailer: suite.rtcpTrailerLength) { protectRtcp($0, length: $1) }
    }

    /// Unprotects the SRTCP packet that is `buffer`'s readable bytes.
    public func unprotectRtcp(_ buffer: inout ByteBuffer) -> SrtpResult {
        transform(&buffer, trailer: 0) { unprotectRtcp($0, length: $1) }
    }

    @inline(__always)
    private func transform(
        _ buffer: inout ByteBuffer,
        trailer: Int,
        _ body: (UnsafeMutableRawBufferPointer, Int) -> SrtpResult
    ) -> SrtpResult {
        if trailer > 0, buffer.writableBytes < trailer {
            buffer.reserveCapacity(minimumWritableBytes: trailer)
        }
        let start = buffer.readerIndex
        let length = buffer.readableBytes
        let result = buffer.withVeryUnsafeMutableBytes { storage in
            body(UnsafeMutableRawBufferPointer(rebasing: storage[start...]), length)
        }
        if case .success(let newLength) = result {
            buffer.moveWriterIndex(to: start + newLength)
        }
        return result
    }
}
