/// RTCP settings of a stream (mediasoup's `RtcpParameters`).
public struct RtcpParameters: Sendable, Hashable, Codable {
    /// The SDES CNAME; mediasoup overrides a producer's with the transport's shared one.
    public var cname: String?
    /// Reduced-size RTCP (RFC 5506); validation defaults it to true.
    public var reducedSize: Bool?

    public init(cname: String? = nil, reducedSize: Bool? = nil) {
        self.cname = cname
        self.reducedSize = reducedSize
    }

    /// mediasoup's `validateRtcpParameters`: `reducedSize` true when absent.
    public mutating func validate() {
        if reducedSize == nil { reducedSize = true }
    }
}
