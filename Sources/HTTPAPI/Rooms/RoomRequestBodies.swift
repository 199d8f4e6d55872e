import Foundation
import Rooms
import SFU

/// `POST /rooms[/:roomId]`.
struct CreateRoomBody: Decodable {
    var eventNotificationUri: String?
    var maxPeerCount: Int?
    /// Producers piped to a second router on another worker for the receiving transports.
    var usePipeTransports: Bool?
}

/// `POST /rooms/:roomId/broadcasters`: the classic demo names the broadcaster `id`, the
/// TypeScript demo `peerId`.
struct BroadcasterBody: Decodable {
    var id: String?
    var peerId: String?
    var displayName: String
    /// Optional in 2060-io's API.
    var device: DeviceInfo?
    var rtpCapabilities: RtpCapabilities?
}

/// `POST …/transports`: mediasoup-demo's fields plus the plain-transport SRTP options. The
/// TypeScript demo gives a `direction` ("producer" or "consumer") instead of a `type`: its
/// broadcasters only have plain transports.
struct TransportBody: Decodable {
    var type: String?
    var direction: String?
    var rtcpMux: Bool?
    var comedia: Bool?
    var sctpCapabilities: SctpCapabilities?
    var enableSrtp: Bool?
    var srtpCryptoSuite: String?
    var preferUdp: Bool?
    var preferTcp: Bool?
}

/// `POST …/transports/:transportId/connect`: DTLS parameters for WebRTC transports, a remote
/// address (and SRTP keys) for plain ones.
struct ConnectBody: Decodable {
    var dtlsParameters: DtlsParameters?
    var ip: String?
    var port: Int?
    var rtcpPort: Int?
    var srtpParameters: SrtpParameters?
}

/// `POST …/transports/:transportId/producers`, and the TypeScript demo's
/// `POST …/broadcasters/:broadcasterId/producers`, which names the transport in the body.
struct ProduceBody: Decodable {
    var transportId: String?
    var kind: String
    var rtpParameters: RtpParameters
    var paused: Bool?
    var appData: JSONValue?
}

/// The TypeScript demo's consume bodies: `POST …/transports/:transportId/consume` (the classic
/// demo gives `producerId` in the query and no body) and `POST …/broadcasters/:broadcasterId/consumers`.
struct ConsumeBody: Decodable {
    var transportId: String?
    var producerId: String?
    var paused: Bool?
    var rtpCapabilities: RtpCapabilities?
}

/// The TypeScript demo's `POST …/transports/:transportId/resume`.
struct ResumeConsumerBody: Decodable {
    var consumerId: String
}

/// `POST …/transports/:transportId/consume/data`.
struct ConsumeDataBody: Decodable {
    var dataProducerId: String
}

/// `POST …/transports/:transportId/produce/data`, as mediasoup-demo.
struct ProduceDataBody: Decodable {
    var sctpStreamParameters: SctpStreamParameters?
    var label: String?
    var `protocol`: String?
    var appData: JSONValue?
}
