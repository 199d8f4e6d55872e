/// The SCTP association a transport offers (mediasoup's `SctpParameters`).
public struct SctpParameters: Sendable, Hashable, Codable {
    /// SCTP port, 5000 in WebRTC.
    public var port: Int
    /// Outgoing streams, 1–65535.
    public var OS: Int
    /// Maximum incoming streams, 1–65535.
    public var MIS: Int
    /// Largest message accepted, in bytes.
    public var maxMessageSize: Int

    public init(port: Int, OS: Int, MIS: Int, maxMessageSize: Int) {
        self.port = port
        self.OS = OS
        self.MIS = MIS
        self.maxMessageSize = maxMessageSize
    }

    /// mediasoup's `validateSctpParameters`, plus range checks on every field.
    public func validate() throws(OrtcError) {
        guard SctpLimits.port.contains(port) else { throw .invalid("invalid params.port [port:\(port)]") }
        try NumSctpStreams(OS: OS, MIS: MIS).validate()
        guard maxMessageSize > 0 else {
            throw .invalid("invalid params.maxMessageSize [maxMessageSize:\(maxMessageSize)]")
        }
    }
}
