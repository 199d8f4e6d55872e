/// mediasoup's `DataProducerType` (also used for data consumers): messages over an SCTP stream,
/// or handed over in-process on a DirectTransport.
public enum DataProducerType: String, Sendable, Hashable, Codable {
    case sctp
    case direct
}
