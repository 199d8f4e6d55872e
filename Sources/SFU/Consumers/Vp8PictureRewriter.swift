/// Keeps the VP8 PictureID and TL0PICIDX a simulcast consumer sends continuous when it switches
/// encodings (or its producer restarts). Each encoding numbers its pictures on its own, and a
/// receiver that sees the numbers jump back takes the new frames for old ones: Chromium
/// assembled no frames after such a switch until the next key frame, and then few.
///
/// A segment (from a key frame on) gets offsets that make its first picture follow the last one
/// sent; each picture dropped (a filtered temporal layer) lowers the offset of the pictures after
/// it, so the numbering has no gap for the receiver to wait on. Retransmissions are rewritten
/// with the offsets in force when they were sent.
struct Vp8PictureRewriter {
    private struct Segment {
        /// The output sequence number of the segment's first packet.
        let firstSequenceNumber: UInt16
        let pictureIdOffset: UInt16
        let tl0PictureIndexOffset: UInt8
    }

    /// Offset changes a retransmission may come from, the current one last: one per segment and
    /// per picture dropped, up to about two seconds of video.
    private static let segmentsKept = 64

    private var segments: [Segment] = []
    private var lastPictureId: UInt16?
    private var lastTl0PictureIndex: UInt8?
    /// The newest picture seen in the current segment, forwarded or dropped (its input number).
    private var newestInputPictureId: UInt16?

    /// Rewrites `packet` (as sent, with its output sequence number; `descriptor` parsed from its
    /// payload); `startsSegment` when it is the first packet of a new segment, which fixes that
    /// segment's offsets.
    mutating func rewrite(_ packet: inout RtpPacket, descriptor: Vp8PayloadDescriptor, startsSegment: Bool) {
        if startsSegment || segments.isEmpty {
            // The first picture of the segment follows the last one sent (or keeps its number).
            var pictureIdOffset: UInt16 = 0
            if let last = lastPictureId, let incoming = descriptor.pictureId {
                pictureIdOffset = (last &+ 1 &- incoming) & Self.mask(descriptor)
            }
            var tl0Offset: UInt8 = 0
            if let last = lastTl0PictureIndex, let incoming = descriptor.tl0PictureIndex {
                tl0Offset = last &+ 1 &- incoming
            }
            append(Segment(
                firstSequenceNumber: packet.sequenceNumber, pictureIdOffset: pictureIdOffset,
                tl0PictureIndexOffset: tl0Offset))
            newestInputPictureId = nil
        }
        noteInput(descriptor)
        guard let segment = segments.last else { return }
        let (pictureId, tl0) = apply(segment, descriptor: descriptor, to: &packet)
        if let pictureId, lastPictureId.map({ Self.isAhead(pictureId, of: $0, mask: Self.mask(descriptor)) }) ?? true {
            lastPictureId = pictureId
        }
        if let tl0, lastTl0PictureIndex.map({ Int8(bitPattern: tl0 &- $0) > 0 }) ?? true {
            lastTl0PictureIndex = tl0
        }
    }

    /// A packet of the current segment that is not forwarded. The first packet of a picture newer
    /// than any seen lowers the numbers of the pictures after it; `nextSequenceNumber` is the
    /// output sequence number the next packet sent will have.
    mutating func drop(_ descriptor: Vp8PayloadDescriptor, nextSequenceNumber: UInt16) {
        guard let segment = segments.last, let pictureId = descriptor.pictureId else { return }
        guard newestInputPictureId.map({ Self.isAhead(pictureId, of: $0, mask: Self.mask(descriptor)) }) ?? true else {
            return
        }
        noteInput(descriptor)
        append(Segment(
            firstSequenceNumber: nextSequenceNumber, pictureIdOffset: segment.pictureIdOffset &- 1,
            tl0PictureIndexOffset: segment.tl0PictureIndexOffset))
    }

    private mutating func append(_ segment: Segment) {
        // A segment that has not sent a packet yet is replaced, not kept.
        if segments.last?.firstSequenceNumber == segment.firstSequenceNumber { segments.removeLast() }
        segments.append(segment)
        if segments.count > Self.segmentsKept { segments.removeFirst() }
    }

    private mutating func noteInput(_ descriptor: Vp8PayloadDescriptor) {
        guard let pictureId = descriptor.pictureId else { return }
        if newestInputPictureId.map({ Self.isAhead(pictureId, of: $0, mask: Self.mask(descriptor)) }) ?? true {
            newestInputPictureId = pictureId
        }
    }

    /// Rewrites a retransmission of a packet sent with output sequence number
    /// `packet.sequenceNumber`, as it was first sent.
    func restore(_ packet: inout RtpPacket) {
        guard let descriptor = Vp8PayloadDescriptor(payload: packet.payload) else { return }
        // The newest segment that started at or before the packet (in wrapping order).
        let segment = segments.last { Int16(bitPattern: packet.sequenceNumber &- $0.firstSequenceNumber) >= 0 }
        guard let segment else { return }
        _ = apply(segment, descriptor: descriptor, to: &packet)
    }

    private func apply(_ segment: Segment, descriptor: Vp8PayloadDescriptor, to packet: inout RtpPacket)
        -> (pictureId: UInt16?, tl0PictureIndex: UInt8?)
    {
        let pictureId = descriptor.pictureId.map { ($0 &+ segment.pictureIdOffset) & Self.mask(descriptor) }
        let tl0 = descriptor.tl0PictureIndex.map { $0 &+ segment.tl0PictureIndexOffset }
        if segment.pictureIdOffset != 0 || segment.tl0PictureIndexOffset != 0 {
            descriptor.rewrite(pictureId: pictureId, tl0PictureIndex: tl0, in: &packet)
        }
        return (pictureId, tl0)
    }

    /// PictureIDs are 15 or 7 bits.
    private static func mask(_ descriptor: Vp8PayloadDescriptor) -> UInt16 {
        descriptor.hasLongPictureId ? 0x7FFF : 0x7F
    }

    private static func isAhead(_ value: UInt16, of other: UInt16, mask: UInt16) -> Bool {
        let distance = (value &- other) & mask
        return distance != 0 && distance <= mask / 2
    }
}
