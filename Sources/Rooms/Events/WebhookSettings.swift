/// How room events are delivered to applications' `eventNotificationUri`.
public struct WebhookSettings: Sendable {
    /// When set, each request carries `X-SFU-Signature: sha256=<hex HMAC-SHA256 of the body>`.
    public var secret: String?
    /// Attempts per event, the first included.
    public var maxAttempts: Int
    /// Wait before the second attempt; doubles for each further one.
    public var initialBackoff: Duration
    public var requestTimeout: Duration
    /// Interval of `room-live` snapshots; nil disables them.
    public var liveInterval: Duration?

    public init(
        secret: String? = nil, maxAttempts: Int = 4, initialBackoff: Duration = .seconds(1),
        requestTimeout: Duration = .seconds(5), liveInterval: Duration? = .seconds(60)
    ) {
        self.secret = secret
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.requestTimeout = requestTimeout
        self.liveInterval = liveInterval
    }
}
