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

    /// mediasoup's `validateRtcpParameters`: `reducedSize` true when absent. Also rejects a
    /// CNAME longer than an SDES item holds (255 bytes), which could not be sent in the sender
    /// reports of the stream's consumers.
    public mutating func validate() throws(OrtcError) {
        if let cname, cname.utf8.count > Sdes.Item.maximumTextLength {
            throw .invalid("invalid params.rtcp.cname (longer than \(Sdes.Item.maximumTextLength) bytes)")
        }
        if let cname, SdpText.containsControlCharacter(cname) {
            throw .invalid("invalid params.rtcp.cname (control characters are not allowed)")
        }
        if reducedSize == nil { reducedSize = true }
    }
}
