/// The header extension ids a transport reads from incoming packets, taken from the first
/// producer that announced each (mediasoup keeps the same per-transport table).
struct ReceiveHeaderExtensionIds: Sendable, Hashable {
    var mid: UInt8?
    var rid: UInt8?
    var repairedRid: UInt8?
    var absSendTime: UInt8?
    var transportWideCc: UInt8?

    mutating func learn(from parameters: RtpParameters) {
        for header in parameters.headerExtensions ?? [] {
            guard let id = UInt8(exactly: header.id) else { continue }
            switch header.uri {
            case RtpHeaderExtensionUri.mid.rawValue: mid = mid ?? id
            case RtpHeaderExtensionUri.rtpStreamId.rawValue: rid = rid ?? id
            case RtpHeaderExtensionUri.repairedRtpStreamId.rawValue: repairedRid = repairedRid ?? id
            case RtpHeaderExtensionUri.absSendTime.rawValue: absSendTime = absSendTime ?? id
            case RtpHeaderExtensionUri.transportWideCc01.rawValue: transportWideCc = transportWideCc ?? id
            default: break
            }
        }
    }
}
