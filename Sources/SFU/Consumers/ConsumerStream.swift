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
    /// VP8 picture numbering, kept continuous across segments (simulcast and SVC consumers of
    /// VP8 only).
    var vp8: Vp8PictureRewriter?
    /// The next packet sent is the first of its segment.
    var segmentStarting = false
    /// The last packet sent ended its frame (had the marker bit), or none was sent yet.
    var lastSentEndedFrame = true

    /// The VP8 temporal layers forwarded (a simulcast consumer's preferred temporal layer); nil
    /// when every layer is.
    var temporalFilter: Vp8TemporalLayerFilter?

    /// Leaves out the router's `packet` (of a layer not forwarded) without a gap in the sequence
    /// numbers the receiver sees.
    mutating func skip(_ packet: RtpPacket) {
        rewriter.drop(sequenceNumber: packet.sequenceNumber)
    }

    /// The router's `packet` as this stream sends it, counted as sent; nil when it is not to be
    /// sent (a segment waits for a packet that `canStartSegment`, the packet belongs to a VP8
    /// temporal layer above `temporalLayer`, the rewriter refuses it, or its header extensions
    /// cannot be rewritten). Pipe streams keep the timestamps.
    /// A retransmission is stored as the router's packet and rebuilt on a NACK: the header
    /// rewritten again, and the VP8 picture numbering as it was sent.
    /// `temporalLayerChanged` is set when the temporal layer forwarded changed with this packet.
    /// `vp8Descriptor` is the packet's VP8 payload descriptor, as the producer read it.
    /// The source restarted its sequence numbers: the next packet continues the output.
    mutating func sourceRestarted() {
        rewriter.requestSync()
    }

    /// Leaves out a padding-only packet, which is not forwarded.
    mutating func dropPadding(sequenceNumber: UInt16) {
        // Before a segment starts no sequence number is mapped yet.
        guard !syncRequired else { return }
        rewriter.drop(sequenceNumber: sequenceNumber)
    }

    mutating func prepare(
        _ packet: RtpPacket, canStartSegment: Bool, keepsTimestamp: Bool, temporalLayer: UInt8?,
        vp8Descriptor: Vp8PayloadDescriptor?, header: ConsumerHeaderRewrite, now: NIODeadline,
        temporalLayerChanged: inout Bool
    ) -> RtpPacket? {
        if syncRequired {
            guard canStartSegment else { return nil }
            // Not through a pipe: the other router's producer takes the stream as it was sent.
            rewriter.requestSync(leavingGap: send.parameters.kind == "video" && !keepsTimestamp && !lastSentEndedFrame)
            syncRequired = false
            segmentStarting = true
            temporalFilter = temporalLayer.map(Vp8TemporalLayerFilter.init(target:))
        }
        let descriptor = vp8 == nil ? nil : vp8Descriptor
        if let descriptor, let temporalLayer, var filter = temporalFilter {
            let before = filter.current
            let forwards = filter.forwards(descriptor, target: temporalLayer)
            temporalLayerChanged = filter.current != before
            temporalFilter = filter
            if !forwards {
                rewriter.drop(sequenceNumber: packet.sequenceNumber)
                if !segmentStarting { vp8?.drop(descriptor, nextSequenceNumber: rewriter.lastSequenceNumber &+ 1) }
                return nil
            }
        }
        guard let rewritten = rewriter.rewrite(sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, now: now)
        else { return nil }
        var outgoing = packet
        guard header.apply(to: &outgoing, ssrc: ssrc) else { return nil }
        outgoing.sequenceNumber = rewritten.sequenceNumber
        if !keepsTimestamp { outgoing.timestamp = rewritten.timestamp }
        if let descriptor { vp8?.rewrite(&outgoing, descriptor: descriptor, startsSegment: segmentStarting) }
        segmentStarting = false
        lastSentEndedFrame = outgoing.marker
        send.sendPacket(outgoing, retransmissionSource: packet, now: now)
        return outgoing
    }
}
