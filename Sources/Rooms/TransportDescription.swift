import SFU

/// A new transport as its client must see it to use it.
public enum TransportDescription: Sendable, Encodable {
    case webRtc(WebRtcTransportDescription)
    case plain(PlainTransportDescription)

    public var id: String {
        switch self {
        case .webRtc(let description): description.id
        case .plain(let description): description.id
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .webRtc(let description): try description.encode(to: encoder)
        case .plain(let description): try description.encode(to: encoder)
        }
    }
}

/// mediasoup-demo's answer to `createWebRtcTransport`, plus the TURN servers to use with it.
public struct WebRtcTransportDescription: Sendable, Encodable {
    public var id: String
    public var iceParameters: IceParameters
    public var iceCandidates: [IceCandidate]
    public var dtlsParameters: DtlsParameters
    public var sctpParameters: SctpParameters?
    public var iceServers: [IceServerDescription]
}

/// mediasoup-demo's answer for a plain transport: where to send RTP (and RTCP without
/// rtcpMux), and our SRTP keys when SRTP is on.
public struct PlainTransportDescription: Sendable, Encodable {
    public var id: String
    public var ip: String
    public var port: Int
    public var rtcpPort: Int?
    public var srtpParameters: SrtpParameters?
    public var sctpParameters: SctpParameters?
}
