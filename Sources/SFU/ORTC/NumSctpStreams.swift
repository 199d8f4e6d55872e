/// SCTP stream counts (mediasoup's `NumSctpStreams`), named as in the SCTP INIT chunk
/// (RFC 4960 §3.3.2).
public struct NumSctpStreams: Sendable, Hashable, Codable {
    /// Outgoing streams the endpoint asks for, 1–65535.
    public var OS: Int
    /// Maximum incoming streams the endpoint accepts, 1–65535.
    public var MIS: Int

    public init(OS: Int, MIS: Int) {
        self.OS = OS
        self.MIS = MIS
    }

    /// Throws when a count is outside 1–65535.
    public func validate() throws(OrtcError) {
        guard SctpLimits.streamCount.contains(OS) else { throw .invalid("invalid numStreams.OS [OS:\(OS)]") }
        guard SctpLimits.streamCount.contains(MIS) else { throw .invalid("invalid numStreams.MIS [MIS:\(MIS)]") }
    }
}
