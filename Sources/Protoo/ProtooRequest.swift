import Rooms

/// A protoo request (either direction): `{request: true, id, method, data}`.
public struct ProtooRequest: Sendable, Hashable {
    /// Chosen by the sender; random in `0...10_000_000` as protoo picks them.
    public var id: Int64
    public var method: String
    /// `{}` when the sender gave none.
    public var data: JSONValue

    public init(id: Int64, method: String, data: JSONValue = .emptyObject) {
        self.id = id
        self.method = method
        self.data = data
    }
}
