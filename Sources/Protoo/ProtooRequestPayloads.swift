import Rooms
import SFU

/// The `data` of mediasoup-demo requests (both dialects), as the client sends it. Fields the server ignores
/// (the client's `iceParameters` in `connectWebRtcTransport`) are not declared.
enum ProtooRequestPayloads {
    struct Join: Decodable {
        var displayName: String?
        var device: DeviceInfo?
        var rtpCapabilities: RtpCapabilities?
        var sctpCapabilities: SctpCapabilities?
    }

    /// The classic demo says `producing` and `consuming`, the TypeScript demo
    /// `appData.direction` ("producer" or "consumer"). Any other `appData` is the client's own
    /// (mediasoup-demo ignores it here).
    struct CreateWebRtcTransport: Decodable {
        var forceTcp: Bool?
        var producing: Bool?
        var consuming: Bool?
        var sctpCapabilities: SctpCapabilities?
        var appData: JSONValue?

        var direction: String? {
            if case .string(let direction)? = appData?["direction"] { direction } else { nil }
        }
    }

    struct ConnectWebRtcTransport: Decodable {
        var transportId: String
        var dtlsParameters: DtlsParameters
    }

    struct TransportReference: Decodable {
        var transportId: String
    }

    struct Produce: Decodable {
        var transportId: String
        var kind: MediaKind
        var rtpParameters: RtpParameters
        var paused: Bool?
        var appData: JSONValue?
    }

    struct ProducerReference: Decodable {
        var producerId: String
    }

    struct ProduceData: Decodable {
        var transportId: String
        var sctpStreamParameters: SctpStreamParameters?
        var label: String?
        var `protocol`: String?
        var appData: JSONValue?
    }

    struct DataProducerReference: Decodable {
        var dataProducerId: String
    }

    struct DataConsumerReference: Decodable {
        var dataConsumerId: String
    }

    struct ConsumerReference: Decodable {
        var consumerId: String
    }

    struct SetConsumerPreferredLayers: Decodable {
        var consumerId: String
        var spatialLayer: Int
        var temporalLayer: Int?
    }

    struct SetConsumerPriority: Decodable {
        var consumerId: String
        var priority: Int
    }

    struct ChangeDisplayName: Decodable {
        var displayName: String
    }
}
