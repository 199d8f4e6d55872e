/// mediasoup's `sctpState` of a transport.
public enum SctpAssociationState: String, Sendable, Hashable, Codable {
    case new
    case connecting
    case connected
    case failed
    case closed
}
