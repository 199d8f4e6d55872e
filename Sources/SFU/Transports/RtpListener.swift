/// Finds the producer an incoming RTP packet belongs to (mediasoup's RtpListener): by SSRC
/// first, then by the `mid` header extension, then by `rid`; an SSRC found the slow way is
/// learnt, once its producer took it, so the next packet takes the fast path.
///
/// Must be used on the transport's event loop.
final class RtpListener {
    private var ssrcTable: [UInt32: Producer] = [:]
    private var midTable: [String: Producer] = [:]
    private var ridTable: [String: Producer] = [:]

    /// Registers the SSRCs, mid and rids a producer announced; fails without registering
    /// anything if one of them already belongs to another producer.
    func add(_ producer: Producer) throws(EngineError) {
        let parameters = producer.rtpParameters
        var ssrcs: [UInt32] = []
        var rids: [String] = []
        for encoding in parameters.encodings ?? [] {
            if let ssrc = encoding.ssrc { ssrcs.append(ssrc) }
            if let rtxSsrc = encoding.rtx?.ssrc { ssrcs.append(rtxSsrc) }
            if let rid = encoding.rid { rids.append(rid) }
        }
        for ssrc in ssrcs where ssrcTable[ssrc] != nil {
            throw .invalidArgument("ssrc already exists in RTP listener [ssrc:\(ssrc)]")
        }
        if let mid = parameters.mid, midTable[mid] != nil {
            throw .invalidArgument("MID already exists in RTP listener [mid:\(mid)]")
        }
        for rid in rids where ridTable[rid] != nil {
            throw .invalidArgument("RID already exists in RTP listener [rid:\(rid)]")
        }
        for ssrc in ssrcs { ssrcTable[ssrc] = producer }
        if let mid = parameters.mid { midTable[mid] = producer }
        for rid in rids { ridTable[rid] = producer }
    }

    func remove(_ producer: Producer) {
        ssrcTable = ssrcTable.filter { $0.value !== producer }
        midTable = midTable.filter { $0.value !== producer }
        ridTable = ridTable.filter { $0.value !== producer }
    }

    /// The producer of `packet`, and whether it was found by SSRC (else the caller learns the
    /// SSRC once the producer took it, see ``learn(ssrc:for:)``).
    func producer(for packet: RtpPacket, extensionIds: ReceiveHeaderExtensionIds) -> (Producer, bySsrc: Bool)? {
        if let producer = ssrcTable[packet.ssrc] { return (producer, true) }
        if let id = extensionIds.mid, let mid = packet.mid(extensionId: id), let producer = midTable[mid] {
            return (producer, false)
        }
        if let id = extensionIds.rid, let rid = packet.rid(extensionId: id), let producer = ridTable[rid] {
            return (producer, false)
        }
        if let id = extensionIds.repairedRid, let rid = packet.repairedRid(extensionId: id),
            let producer = ridTable[rid]
        {
            return (producer, false)
        }
        return nil
    }

    /// `ssrc`, found by mid or rid, is one of `producer`'s streams now: its next packets take
    /// the fast path. Only SSRCs a producer took are learnt, so a sender cycling through SSRCs
    /// under a known mid does not grow the table.
    func learn(ssrc: UInt32, for producer: Producer) {
        ssrcTable[ssrc] = producer
    }
}
