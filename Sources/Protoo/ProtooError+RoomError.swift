import Rooms

extension ProtooError {
    /// A room refusal on the protoo wire: errorCode 500 as protoo-server uses for every error,
    /// and the room's message as the reason.
    init(_ error: RoomError) {
        self.init(code: 500, reason: error.description)
    }

    /// A request whose `data` does not have the shape `method` needs.
    init(invalidDataFor method: String, _ error: any Error) {
        let detail: String
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            detail = "missing field \"\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))\""
        case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
            // How Foundation reports a number its field cannot hold (`data` itself is JSON).
            detail = "a number is negative, fractional or too large for its field"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            detail = path.isEmpty ? context.debugDescription : "field \"\(path)\": \(context.debugDescription)"
        default:
            detail = "\(error)"
        }
        self.init(code: 500, reason: "invalid data for \"\(method)\": \(detail)")
    }
}
