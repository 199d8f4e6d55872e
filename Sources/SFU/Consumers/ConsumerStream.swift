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
}
