/// A rejected protoo request: what goes on the wire as `errorCode` and `errorReason`.
/// protoo-server answers every failure with 500; the reason is what tells the user what to fix.
public struct ProtooError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var reason: String

    public init(code: Int = 500, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code) \(reason)" }
}
