import SFU

/// Someone in a room: a protoo peer or a REST broadcaster, with the media objects they own.
/// Lives inside its ``Room`` actor and is only touched there.
final class Participant {
    enum Kind: Sendable {
        case peer
        case broadcaster
    }

    let id: String
    let kind: Kind
    let displayName: String
    let device: DeviceInfo
    var rtpCapabilities: RtpCapabilities?
    var webRtcTransports: [String: WebRtcTransport] = [:]
    var plainTransports: [String: PlainTransport] = [:]
    var producers: [String: Producer] = [:]
    var consumers: [String: Consumer] = [:]

    init(id: String, kind: Kind, displayName: String, device: DeviceInfo, rtpCapabilities: RtpCapabilities?) {
        self.id = id
        self.kind = kind
        self.displayName = displayName
        self.device = device
        self.rtpCapabilities = rtpCapabilities
    }

    func transport(id: String) -> Transport? {
        webRtcTransports[id] ?? plainTransports[id]
    }

    var transportCount: Int { webRtcTransports.count + plainTransports.count }

    /// Forgets everything the participant owns and hands over its transports to close (closing
    /// a transport closes its producers and consumers).
    func detachAll() -> [Transport] {
        let transports: [Transport] = Array(webRtcTransports.values) + Array(plainTransports.values)
        webRtcTransports.removeAll()
        plainTransports.removeAll()
        producers.removeAll()
        consumers.removeAll()
        return transports
    }
}
