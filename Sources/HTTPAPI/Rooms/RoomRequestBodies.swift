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

/// `POST /rooms/:roomId/broadcasters`.
struct BroadcasterBody: Decodable {
    var id: String
    var displayName: String
    var device: DeviceInfo
    var rtpCapabilities: RtpCapabilities?
}

/// `POST …/transports`: mediasoup-demo's fields plus the plain-transport SRTP options.
struct TransportBody: Decodable {
    var type: String
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

/// `POST …/transports/:transportId/producers`.
struct ProduceBody: Decodable {
    var kind: String
    var rtpParameters: RtpParameters
    var paused: Bool?
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
