/// What `Transport.consume` takes (mediasoup's ConsumerOptions).
public struct ConsumerOptions: Sendable {
    public var producerId: String
    /// The receiving endpoint's capabilities; it must use the router's payload types and ids.
    public var rtpCapabilities: RtpCapabilities
    /// Start paused, to be resumed once the endpoint is ready (what mediasoup-demo does).
    public var paused: Bool
    public var mid: String?
    public var preferredLayers: ConsumerLayers?
    /// Default: true for video, false for audio.
    public var enableRtx: Bool?
    public var ignoreDtx: Bool
    public var pipe: Bool

    public init(
        producerId: String, rtpCapabilities: RtpCapabilities, paused: Bool = false, mid: String? = nil,
        preferredLayers: ConsumerLayers? = nil, enableRtx: Bool? = nil, ignoreDtx: Bool = false, pipe: Bool = false
    ) {
        self.producerId = producerId
        self.rtpCapabilities = rtpCapabilities
        self.paused = paused
        self.mid = mid
        self.preferredLayers = preferredLayers
        self.enableRtx = enableRtx
        self.ignoreDtx = ignoreDtx
        self.pipe = pipe
    }
}
