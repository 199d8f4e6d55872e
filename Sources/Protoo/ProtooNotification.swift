import Rooms

/// A protoo notification (either direction, never answered): `{notification: true, method, data}`.
public struct ProtooNotification: Sendable, Hashable {
    public var method: String
    /// `{}` when the sender gave none.
    public var data: JSONValue

    public init(method: String, data: JSONValue = .emptyObject) {
        self.method = method
        self.data = data
    }
}
