/// One RTCP feedback mechanism a codec supports, as in SDP `a=rtcp-fb` (`nack pli` is
/// `{type: "nack", parameter: "pli"}`).
///
/// `parameter` is nil only before validation; ``validate()`` sets it to `""`, which is how
/// mediasoup sends feedback without a parameter.
public struct RtcpFeedback: Sendable, Hashable, Codable {
    public var type: String
    public var parameter: String?

    public init(type: String, parameter: String? = nil) {
        self.type = type
        self.parameter = parameter
    }

    /// Fills the default `parameter` (`""`); throws when `type` is empty.
    public mutating func validate() throws(OrtcError) {
        guard !type.isEmpty else { throw .invalid("missing fb.type") }
        if parameter == nil { parameter = "" }
    }

    /// Generic NACK (RFC 4585), which retransmission depends on.
    public static let nack = RtcpFeedback(type: "nack", parameter: "")
    /// Picture loss indication.
    public static let nackPli = RtcpFeedback(type: "nack", parameter: "pli")
    /// Full intra request (RFC 5104).
    public static let ccmFir = RtcpFeedback(type: "ccm", parameter: "fir")
    /// Receiver-estimated maximum bitrate, used with abs-send-time.
    public static let googRemb = RtcpFeedback(type: "goog-remb", parameter: "")
    /// Transport-wide congestion control feedback.
    public static let transportCc = RtcpFeedback(type: "transport-cc", parameter: "")

    /// True for plain `nack` (no parameter), which only makes sense with retransmission.
    var isGenericNack: Bool { type == "nack" && (parameter ?? "").isEmpty }
}
