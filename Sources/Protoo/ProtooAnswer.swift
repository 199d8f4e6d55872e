import Rooms

/// A handler's success answer to a request: the response `data`, and optionally work whose
/// messages must follow the response (the `newConsumer` requests after `join`).
public struct ProtooAnswer: Sendable {
    public var data: JSONValue
    /// Runs once the response is queued and before the next request is handled.
    public var afterSending: (@Sendable () async -> Void)?

    public init(_ data: JSONValue = .emptyObject, afterSending: (@Sendable () async -> Void)? = nil) {
        self.data = data
        self.afterSending = afterSending
    }
}
