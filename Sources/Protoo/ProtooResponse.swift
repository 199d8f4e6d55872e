import Rooms

/// A protoo response to the request with the same `id`: success with `data`, or an error with
/// `errorCode`/`errorReason`.
public struct ProtooResponse: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case success(JSONValue)
        case failure(ProtooError)
    }

    public var id: Int64
    public var outcome: Outcome

    public init(id: Int64, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }
}
