/// Why ORTC input (capabilities, RTP/SCTP parameters, router media codecs) was rejected.
///
/// The two cases are the two error classes mediasoup throws from `ortc.ts`, and the faces map
/// them in one place: ``invalid(_:)`` is mediasoup's `TypeError` (HTTP 400, malformed input),
/// ``unsupported(_:)`` its `UnsupportedError` (HTTP 422, well-formed but not something this
/// router can handle). Messages follow mediasoup's wording so clients that match on them keep
/// working, e.g. `unsupported codec [mimeType:video/H265, payloadType:120]`.
public enum OrtcError: Error, Sendable, Hashable {
    /// Malformed or contradictory input (mediasoup's `TypeError`).
    case invalid(String)
    /// Valid input the router cannot serve (mediasoup's `UnsupportedError`).
    case unsupported(String)

    /// The mediasoup-style message, without the error class.
    public var message: String {
        switch self {
        case .invalid(let message), .unsupported(let message): message
        }
    }

    /// True for ``unsupported(_:)`` (HTTP 422), false for ``invalid(_:)`` (HTTP 400).
    public var isUnsupported: Bool {
        if case .unsupported = self { return true }
        return false
    }
}

extension OrtcError: CustomStringConvertible {
    public var description: String { message }
}
