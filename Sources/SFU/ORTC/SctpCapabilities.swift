/// What an endpoint's SCTP association supports (mediasoup's `SctpCapabilities`), sent by
/// mediasoup-client when creating a transport with data channels.
public struct SctpCapabilities: Sendable, Hashable, Codable {
    public var numStreams: NumSctpStreams

    public init(numStreams: NumSctpStreams) {
        self.numStreams = numStreams
    }

    /// mediasoup's `validateSctpCapabilities`.
    public func validate() throws(OrtcError) {
        try numStreams.validate()
    }
}
