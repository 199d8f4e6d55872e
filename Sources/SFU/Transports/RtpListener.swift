/// Finds the producer an incoming RTP packet belongs to (mediasoup's RtpListener): by SSRC
/// first, then by the `mid` header extension, then by `rid`; an SSRC found the slow way is
/// learnt so the next packet takes the fast path.
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

    func producer(for packet: RtpPacket, extensionIds: ReceiveHeaderExtensionIds) -> Producer? {
        if let producer = ssrcTable[packet.ssrc] { return producer }
        if let id = extensionIds.mid, let mid = packet.mid(extensionId: id), let producer = midTable[mid] {
            ssrcTable[packet.ssrc] = producer
            return producer
        }
        if let id = extensionIds.rid, let rid = packet.rid(extensionId: id), let producer = ridTable[rid] {
            ssrcTable[packet.ssrc] = producer
            return producer
        }
        if let id = extensionIds.repairedRid, let rid = packet.repairedRid(extensionId: id),
            let producer = ridTable[rid]
        {
            ssrcTable[packet.ssrc] = producer
            return producer
        }
        return nil
    }
}
