/// What `Transport.produce` takes (mediasoup's ProducerOptions).
public struct ProducerOptions: Sendable {
    /// Only for pipe transports, which reuse the origin producer's id.
    public var id: String?
    public var kind: MediaKind
    public var rtpParameters: RtpParameters
    public var paused: Bool
    /// Minimum time between key frame requests towards the sender, in milliseconds (mediasoup's
    /// `keyFrameRequestDelay`); requests are never more frequent than once a second.
    public var keyFrameRequestDelay: Int

    public init(
        id: String? = nil, kind: MediaKind, rtpParameters: RtpParameters, paused: Bool = false,
        keyFrameRequestDelay: Int = 0
    ) {
        self.id = id
        self.kind = kind
        self.rtpParameters = rtpParameters
        self.paused = paused
        self.keyFrameRequestDelay = keyFrameRequestDelay
    }
}
