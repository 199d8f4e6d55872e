/// What turns the router's form of a packet into a consumer's: its mid and the header
/// extensions it negotiated (SSRC, sequence number and timestamp are the stream's).
struct ConsumerHeaderRewrite: Sendable {
    /// The mid extension's id and the value to put there; nil without a mid.
    let mid: (extensionId: UInt8, value: String)?
    let extensionIdMap: RtpHeaderExtensionIdMap

    /// Rewrites `packet` for the stream sending on `ssrc`. The packet ends in a buffer of its
    /// own with room for the SRTP trailer, copied once: with a mid, the extension block is
    /// re-laid into such a buffer with the mid and the negotiated extensions in one pass;
    /// otherwise the reserve copies it and the ids are rewritten in place. False when its
    /// extensions cannot be rewritten.
    func apply(to packet: inout RtpPacket, ssrc: UInt32) -> Bool {
        if let mid {
            let relaid = try? packet.relayOneByteHeaderExtensions(
                mapping: extensionIdMap, appending: mid.extensionId, value: mid.value.utf8)
            if relaid == true {
                packet.ssrc = ssrc
                return true
            }
            // A two-byte block, or ids beyond the one-byte form: the general way.
            try? packet.setMid(mid.value, extensionId: mid.extensionId)
        }
        packet.buffer.reserveCapacity(minimumWritableBytes: RtpPacket.trailerRoom)
        guard (try? packet.remapHeaderExtensionIds(extensionIdMap)) != nil else { return false }
        packet.ssrc = ssrc
        return true
    }
}
