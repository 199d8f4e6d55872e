import NIOCore

/// One RTP stream a consumer sends: its SSRCs, the rewriting that keeps it continuous for the
/// receiver, and its send side (statistics, retransmissions, reports).
///
/// A simple or simulcast consumer has one, fed by the producer encoding it picked; a pipe
/// consumer has one per producer encoding.
struct ConsumerStream {
    let ssrc: UInt32
    let rtxSsrc: UInt32?
    var rewriter: RtpStreamRewriter
    var send: RtpStreamSend
    /// The next packet forwarded starts a new segment, at a key frame for video.
    var syncRequired = true
    /// VP8 picture numbering, kept continuous across segments (nil for other codecs and pipes).
    var vp8: Vp8PictureRewriter?
    /// The next packet sent is the first of its segment.
    var segmentStarting = false

    /// The router's `packet` as this stream sends it, counted as sent; nil when it is not to be
    /// sent (a segment waits for a packet that `canStartSegment`, the rewriter refuses it, or
    /// its header extensions cannot be rewritten). Pipe streams keep the timestamps.
    /// A retransmission is stored as the router's packet and rebuilt on a NACK: the header
    /// rewritten again, and the VP8 picture numbering as it was sent.
    mutating func prepare(
        _ packet: RtpPacket, canStartSegment: Bool, keepsTimestamp: Bool, header: ConsumerHeaderRewrite,
        now: NIODeadline
    ) -> RtpPacket? {
        if syncRequired {
            guard canStartSegment else { return nil }
            rewriter.requestSync()
            syncRequired = false
            segmentStarting = true
        }
        guard let rewritten = rewriter.rewrite(sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, now: now)
        else { return nil }
        var outgoing = packet
        guard header.apply(to: &outgoing, ssrc: ssrc) else { return nil }
        outgoing.sequenceNumber = rewritten.sequenceNumber
        if !keepsTimestamp { outgoing.timestamp = rewritten.timestamp }
        vp8?.rewrite(&outgoing, startsSegment: segmentStarting)
        segmentStarting = false
        send.sendPacket(outgoing, retransmissionSource: packet, now: now)
        return outgoing
    }
}
