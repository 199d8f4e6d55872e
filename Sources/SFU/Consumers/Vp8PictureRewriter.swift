/// Keeps the VP8 PictureID and TL0PICIDX a consumer stream sends continuous when its source
/// changes: a simulcast consumer switching encodings, or a producer restarting. Each encoding
/// numbers its pictures on its own, and a receiver that sees the numbers jump back takes the new
/// frames for old ones: Chromium assembled no frames after such a switch until the next key
/// frame, and then few.
///
/// A segment (from a key frame on) gets offsets that make its first picture follow the last one
/// sent. Retransmissions are rewritten with the offsets of the segment they were sent in.
struct Vp8PictureRewriter {
    private struct Segment {
        /// The output sequence number of the segment's first packet.
        let firstSequenceNumber: UInt16
        let pictureIdOffset: UInt16
        let tl0PictureIndexOffset: UInt8
    }

    /// Segments a retransmission may come from: the current one last.
    private static let segmentsKept = 8

    private var segments: [Segment] = []
    private var lastPictureId: UInt16?
    private var lastTl0PictureIndex: UInt8?

    /// Rewrites `packet` (as sent, with its output sequence number); `startsSegment` when it is
    /// the first packet of a new segment, which fixes that segment's offsets.
    mutating func rewrite(_ packet: inout RtpPacket, startsSegment: Bool) {
        guard let descriptor = Vp8PayloadDescriptor(payload: packet.payload) else { return }
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
            segments.append(Segment(
                firstSequenceNumber: packet.sequenceNumber, pictureIdOffset: pictureIdOffset,
                tl0PictureIndexOffset: tl0Offset))
            if segments.count > Self.segmentsKept { segments.removeFirst() }
        }
        guard let segment = segments.last else { return }
        let (pictureId, tl0) = apply(segment, descriptor: descriptor, to: &packet)
        if let pictureId, lastPictureId.map({ Self.isAhead(pictureId, of: $0, mask: Self.mask(descriptor)) }) ?? true {
            lastPictureId = pictureId
        }
        if let tl0, lastTl0PictureIndex.map({ Int8(bitPattern: tl0 &- $0) > 0 }) ?? true {
            lastTl0PictureIndex = tl0
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
