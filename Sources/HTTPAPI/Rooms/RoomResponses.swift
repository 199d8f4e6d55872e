import Rooms
import SFU

/// `POST /rooms` answer (2060-io's shape).
struct CreatedRoom: Encodable {
    var roomId: String
    var wsUrl: String
    var protocol_: String

    enum CodingKeys: String, CodingKey {
        case roomId, wsUrl
        case protocol_ = "protocol"
    }
}

/// `POST /rooms/:roomId/broadcasters` answer.
struct BroadcasterJoined: Encodable {
    var peers: [PeerSummary]
}

/// `POST …/producers` answer.
struct CreatedProducer: Encodable {
    var id: String
}

/// The TypeScript demo's answer to a new plain transport.
struct CreatedPlainTransport: Encodable {
    var transportId: String
    var ip: String
    var port: Int
    var rtcpPort: Int?
}

/// The TypeScript demo's produce answer.
struct CreatedBroadcasterProducer: Encodable {
    var producerId: String
}

/// The TypeScript demo's consume answer.
struct CreatedBroadcasterConsumer: Encodable {
    var consumerId: String
}

/// The TypeScript demo's `peerProducersInfos` answer.
struct PeerProducersInfos: Encodable {
    var peerProducersInfos: [PeerProducersInfo]
}

/// mediasoup-demo's consume answer: only these fields.
struct CreatedConsumer: Encodable {
    var id: String
    var producerId: String
    var kind: MediaKind
    var rtpParameters: RtpParameters
    var type: ConsumerType
}

/// `GET /getRoomId` answer (the deprecated 2060-io endpoint).
struct LegacyRoomId: Encodable {
    var roomId: String
    var wsUrl: String
    var status: Int
}
