/// What `Router.createDirectTransport` takes (mediasoup's DirectTransportOptions).
public struct DirectTransportOptions: Sendable {
    /// Largest RTP or RTCP packet the application may inject, in bytes.
    public var maxMessageSize: Int

    public init(maxMessageSize: Int = 262_144) {
        self.maxMessageSize = maxMessageSize
    }
}
